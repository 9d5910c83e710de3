package trail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/audit"
	"github.com/kmsd/kmsd/internal/rootkey"
)

func openRoot(t *testing.T) rootkey.RootKey {
	t.Helper()
	rk, err := rootkey.Open(rootkey.Config{Kind: "file", Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rk.Close() })
	return rk
}

func event(i int) audit.Event {
	return audit.Event{RequestID: fmt.Sprintf("req-%05d", i), Time: time.Now(), Method: "POST",
		Path: "/v1.0/p/kms/encrypt-data", Action: "encrypt-data", ProjectID: "p", UserID: "u",
		AccessKey: "AK1", SourceIP: "127.0.0.1", KeyID: "k", Status: 200, Durable: true, Sync: true,
		Params: []byte(`"key_id":"k"`)}
}

// writeN records n events from 16 goroutines at once, durably.
func writeN(t *testing.T, w *Writer, from, n int) {
	t.Helper()
	s := NewSink(w, false, slogDiscard())
	var wg sync.WaitGroup
	var errs atomic.Int64
	for g := range 16 {
		wg.Go(func() {
			for i := from + g; i < from+n; i += 16 {
				if err := s.Record(context.Background(), event(i)); err != nil {
					errs.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if errs.Load() != 0 {
		t.Fatalf("%d records failed", errs.Load())
	}
}

func mustVerify(t *testing.T, root Wrapper, files []string) Report {
	t.Helper()
	rep, err := Verify(context.Background(), root, files, true)
	if err != nil {
		t.Fatalf("verify %v: %v", files, err)
	}
	return rep
}

// A trail survives restarts (the chain continues) and rotation (each file
// starts with the chain key), and verifies as one chain holding every
// request once.
func TestTrailVerifiesAcrossRestartsAndRotation(t *testing.T) {
	root := openRoot(t)
	path := filepath.Join(t.TempDir(), "audit.log")
	for run := range 3 {
		w, err := OpenFile(context.Background(), path, 16<<10, root)
		if err != nil {
			t.Fatal(err)
		}
		writeN(t, w, run*300, 300)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	files := Files(path)
	if len(files) < 3 {
		t.Fatalf("files %v: the trail did not rotate", files)
	}
	rep := mustVerify(t, root, files)
	seen := map[string]bool{}
	for _, id := range rep.IDs {
		seen[id] = true
	}
	if len(rep.IDs) != 900 || len(seen) != 900 {
		t.Fatalf("%d request records (%d distinct), want 900", len(rep.IDs), len(seen))
	}
	for _, f := range files {
		if st, _ := os.Stat(f); st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", f, st.Mode().Perm())
		}
	}
}

// Verify names the first record that was deleted, edited, moved or whose
// chain key is not the root key's, and passes the intact file.
func TestVerifyFindsTampering(t *testing.T) {
	root := openRoot(t)
	path := filepath.Join(t.TempDir(), "audit.log")
	w, err := OpenFile(context.Background(), path, 0, root)
	if err != nil {
		t.Fatal(err)
	}
	writeN(t, w, 0, 20)
	w.Close()
	intact, _ := os.ReadFile(path)
	lines := strings.SplitAfter(string(intact), "\n")
	lines = lines[:len(lines)-1]
	mustVerify(t, root, []string{path})
	unfinished := filepath.Join(t.TempDir(), "audit.log")
	os.WriteFile(unfinished, append(intact, `{"seq":21,"prev":"`...), 0o600)
	if rep := mustVerify(t, root, []string{unfinished}); !rep.Unfinished || rep.Records != 21 {
		t.Fatalf("a last line being written: %+v", rep)
	}
	edit := func(f func([]string) []string) []string {
		return f(append([]string(nil), lines...))
	}
	for name, tc := range map[string]struct {
		lines  []string
		root   Wrapper
		line   int
		reason string
	}{
		"deleted line": {edit(func(l []string) []string { return append(l[:5], l[6:]...) }), root, 6, "missing"},
		"edited line": {edit(func(l []string) []string {
			l[7] = strings.Replace(l[7], `"code":"200"`, `"code":"403"`, 1)
			return l
		}), root, 8, "edited"},
		"swapped lines":                      {edit(func(l []string) []string { l[3], l[4] = l[4], l[3]; return l }), root, 4, "missing"},
		"head removed":                       {edit(func(l []string) []string { return l[2:] }), root, 1, "chain-key"},
		"torn line":                          {edit(func(l []string) []string { l[9] = l[9][:40] + "\n"; return l }), root, 10, "JSON"},
		"unfinished line in an earlier file": {edit(func(l []string) []string { l[20] = l[20][:40]; return l }), root, 21, "incomplete"},
		"another root":                       {lines, openRoot(t), 1, "does not unwrap"},
	} {
		t.Run(name, func(t *testing.T) {
			f := filepath.Join(t.TempDir(), "audit.log")
			os.WriteFile(f, []byte(strings.Join(tc.lines, "")), 0o600)
			files := []string{f}
			if strings.Contains(name, "earlier file") {
				files = append(files, f+".next") // absent: the open fails after the break
			}
			_, err := Verify(context.Background(), tc.root, files, false)
			var br *Break
			if !errors.As(err, &br) || br.Line != tc.line || !strings.Contains(br.Reason, tc.reason) {
				t.Fatalf("verify: %v; want a break at line %d (%s)", err, tc.line, tc.reason)
			}
		})
	}
}

// slowDest syncs slowly and counts syncs, like a disk.
type slowDest struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	syncs int
}

func (d *slowDest) Write(p []byte) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.buf.Write(p)
	return nil
}
func (d *slowDest) Sync() error {
	time.Sleep(time.Millisecond)
	d.mu.Lock()
	d.syncs++
	d.mu.Unlock()
	return nil
}
func (d *slowDest) Close() error { return nil }

func (d *slowDest) syncCount() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.syncs
}

func (d *slowDest) bytes() []byte {
	d.mu.Lock()
	defer d.mu.Unlock()
	return bytes.Clone(d.buf.Bytes())
}

// One fsync acknowledges many concurrent records.
func TestDurableRecordsShareSyncs(t *testing.T) {
	root := openRoot(t)
	cs, err := newChain(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	d := &slowDest{}
	w := start(d, cs, true)
	writeN(t, w, 0, 1600)
	w.Close()
	if n := bytes.Count(d.buf.Bytes(), []byte("\n")); n != 1601 {
		t.Fatalf("%d lines, want 1601", n)
	}
	if d.syncs*4 > 1600 {
		t.Fatalf("%d syncs for 1600 concurrent durable records: not grouped", d.syncs)
	}
	t.Logf("1600 durable records in %d syncs", d.syncs)
}

// TestWrittenRecordsAreNotSynced: a durable record without Sync (a read or
// the data plane under audit.sync "writes") is written before Record
// returns, but costs no sync; one with Sync is synced.
func TestWrittenRecordsAreNotSynced(t *testing.T) {
	root := openRoot(t)
	cs, err := newChain(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	d := &slowDest{}
	w := start(d, cs, true)
	s := NewSink(w, false, slogDiscard())
	synced := d.syncCount()
	for i := range 20 {
		e := event(i)
		e.Sync = false
		if err := s.Record(context.Background(), e); err != nil {
			t.Fatal(err)
		}
		if n := bytes.Count(d.bytes(), []byte("\n")); n != i+2 { // the chain-key record, then these
			t.Fatalf("after record %d: %d lines written", i, n)
		}
	}
	if d.syncCount() != synced {
		t.Fatalf("%d syncs for records that asked for none", d.syncCount()-synced)
	}
	if err := s.Record(context.Background(), event(20)); err != nil || d.syncCount() == synced {
		t.Fatalf("a Sync record: %v, syncs %d", err, d.syncCount()-synced)
	}
	w.Close()
}

// flakyFile is a trail file whose writes fail while broken.
type flakyFile struct {
	*fileDest
	broken atomic.Bool
}

func (f *flakyFile) Write(p []byte) error {
	if f.broken.Load() {
		f.fileDest.Write(p[:len(p)/2]) // a torn write
		return errors.New("no space left on device")
	}
	return f.fileDest.Write(p)
}

// A failed batch fails its records, leaves nothing of them in the file,
// and the chain goes on from the last durable record.
func TestFailedBatchIsRolledBack(t *testing.T) {
	root := openRoot(t)
	path := filepath.Join(t.TempDir(), "audit.log")
	cs, err := newChain(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	fd, err := openFileDest(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	d := &flakyFile{fileDest: fd}
	w := start(d, cs, true)
	s := NewSink(w, false, slogDiscard())
	ctx := context.Background()
	if err := s.Record(ctx, event(1)); err != nil {
		t.Fatal(err)
	}
	d.broken.Store(true)
	if err := s.Record(ctx, event(2)); err == nil || w.Err() == nil {
		t.Fatal("a record the file refused succeeded")
	}
	if err := NewSink(w, true, slogDiscard()).Record(ctx, event(3)); err != nil {
		t.Fatalf("fail open: %v", err)
	}
	d.broken.Store(false)
	if err := s.Record(ctx, event(4)); err != nil || w.Err() != nil {
		t.Fatal(err)
	}
	w.Close()
	rep := mustVerify(t, root, []string{path})
	if strings.Join(rep.IDs, ",") != "req-00001,req-00004" {
		t.Fatalf("records %v, want req-00001 and req-00004", rep.IDs)
	}
}

// A crash can leave a last line cut short (its sync never returned, so it
// was never acknowledged): the next start removes it and continues the
// chain. A second process cannot open a trail that is in use.
func TestReopenDropsTornLineAndLocks(t *testing.T) {
	root := openRoot(t)
	path := filepath.Join(t.TempDir(), "audit.log")
	ctx := context.Background()
	w, err := OpenFile(ctx, path, 0, root)
	if err != nil {
		t.Fatal(err)
	}
	writeN(t, w, 0, 10)
	if _, err := OpenFile(ctx, path, 0, root); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("second open of a trail in use: %v", err)
	}
	w.Close()
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString(`{"seq":12,"prev":"00`)
	f.Close()
	w, err = OpenFile(ctx, path, 0, root)
	if err != nil {
		t.Fatal(err)
	}
	writeN(t, w, 10, 10)
	w.Close()
	if rep := mustVerify(t, root, []string{path}); len(rep.IDs) != 20 {
		t.Fatalf("%d records after the restart, want 20", len(rep.IDs))
	}
}

// A context that ends while a durable record waits for its sync fails the
// record instead of holding the request.
func TestAppendGivesUpWithItsContext(t *testing.T) {
	root := openRoot(t)
	cs, err := newChain(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	d := &blockingDest{release: make(chan struct{})}
	w := start(d, cs, true)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := w.Append(ctx, []byte(`"trace_type":"ApiCall"`), Synced); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("append with a stuck disk: %v", err)
	}
	close(d.release)
	w.Close()
}

// blockingDest syncs only once released, like a hung disk.
type blockingDest struct{ release chan struct{} }

func (d *blockingDest) Write([]byte) error { return nil }
func (d *blockingDest) Sync() error        { <-d.release; return nil }
func (d *blockingDest) Close() error       { return nil }

// The syslog destination sends one message per record, the chain intact:
// the records read back from the messages verify.
func TestSyslogCarriesTheChain(t *testing.T) {
	root := openRoot(t)
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	w, err := OpenSyslog(context.Background(), "udp", conn.LocalAddr().String(), root)
	if err != nil {
		t.Fatal(err)
	}
	writeN(t, w, 0, 5)
	w.Close()
	var lines []string
	buf := make([]byte, 64<<10)
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for len(lines) < 6 {
		n, _, err := conn.ReadFrom(buf)
		if err != nil {
			t.Fatalf("after %d messages: %v", len(lines), err)
		}
		msg := string(buf[:n])
		if !strings.Contains(msg, "kmsd-audit") {
			t.Fatalf("message without the tag: %q", msg)
		}
		lines = append(lines, strings.TrimRight(msg[strings.Index(msg, "{"):], "\n")+"\n")
	}
	f := filepath.Join(t.TempDir(), "from-syslog.log")
	os.WriteFile(f, []byte(strings.Join(lines, "")), 0o600)
	if rep := mustVerify(t, root, []string{f}); len(rep.IDs) != 5 {
		t.Fatalf("%d request records, want 5", len(rep.IDs))
	}
}

// TestRootKeyRotationStartsANewChain: a node whose root key was rotated
// cannot unwrap the chain key of its trail's last file; it moves that file
// aside and begins a new chain, and the whole trail verifies with both root
// keys (kmsd audit verify with --root-key-previous).
func TestRootKeyRotationStartsANewChain(t *testing.T) {
	oldRoot, newRoot := openRoot(t), openRoot(t)
	path := filepath.Join(t.TempDir(), "audit.log")
	w, err := OpenFile(context.Background(), path, 0, oldRoot)
	if err != nil {
		t.Fatal(err)
	}
	writeN(t, w, 0, 5)
	w.Close()
	w, err = OpenFile(context.Background(), path, 0, newRoot)
	if err != nil {
		t.Fatalf("reopening under the rotated root key: %v", err)
	}
	writeN(t, w, 5, 5)
	w.Close()
	files := Files(path)
	if len(files) != 2 {
		t.Fatalf("files %v, want the old chain moved aside and a new one", files)
	}
	if _, err := Verify(context.Background(), newRoot, files[1:], false); err != nil {
		t.Fatalf("the new chain under the new root key: %v", err)
	}
	if _, err := Verify(context.Background(), oldRoot, files[:1], false); err != nil {
		t.Fatalf("the old chain under the old root key: %v", err)
	}
}
