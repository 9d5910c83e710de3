// Package trail is kmsd's audit trail: one JSON line per request, separate
// from the operational log, chained for tamper evidence and made durable in
// groups.
//
// Every line carries seq (1, 2, … per chain), prev (the mac of the line
// before, 64 zeros for the first) and mac: HMAC-SHA256 under the chain key
// of the line's bytes up to its ,"mac" field. The first line of every file
// is a chain-key record holding the chain key wrapped under the root key
// (rootkey.RootKey.Wrap), so that Verify needs only the root key, and so
// that nobody without the root key can forge, edit, delete or reorder a
// line without the chain showing it. A chain belongs to one node: each node
// writes its own file.
//
// Durability is grouped: Append hands a record to one syncer goroutine,
// which chains everything that accumulated, writes it in one call and
// fsyncs once; every caller of that batch returns when the fsync has. While
// one fsync runs, the next batch gathers, so under load one fsync
// acknowledges many requests. Records nobody waits for (audit.durable
// "writes": reads and the data plane) gather for a millisecond and are
// written without a sync of their own; the next durable batch's fsync
// covers them.
package trail

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kmsd/kmsd/internal/audit"
)

// chainKeyAAD binds a wrapped chain key to its purpose and node.
func chainKeyAAD(node string) []byte { return []byte("kmsd audit chain key v1\x00" + node) }

// Wrapper is the part of rootkey.RootKey the trail uses.
type Wrapper interface {
	ID() string
	Wrap(ctx context.Context, plaintext, aad []byte) ([]byte, error)
	Unwrap(ctx context.Context, blob, aad []byte) ([]byte, error)
}

// Destination is where lines go. Write is given whole lines; Sync makes
// what was written durable (a no-op where the destination cannot).
// Truncate, when the destination supports it, drops a failed batch so that
// the file holds only the lines of batches that succeeded.
type Destination interface {
	Write(p []byte) error
	Sync() error
	Close() error
}

// maxPending is how many bytes of records not waited for may gather before
// Append waits for the syncer anyway (backpressure: nothing is dropped).
const maxPending = 4 << 20

// Writer chains records and writes them durably in groups. It is safe for
// concurrent use.
type Writer struct {
	dst  Destination
	wake chan struct{}
	done chan struct{}

	mu      sync.Mutex
	pending *batch
	closed  bool
	lastErr atomic.Pointer[error] // of the last batch; nil when it was written
	// spare holds the buffers of the last committed batch, for the next
	// one: batches alternate between two sets instead of growing new ones.
	spareFields []byte
	spareEnds   []int

	records, syncs, failures atomic.Uint64 // for Stats

	// chain state, touched only by the syncer (and Open before it runs)
	mac     hash.Hash
	seq     uint64
	prev    [64]byte // hex of the last mac
	sum     [32]byte // scratch for the mac, so that it does not allocate
	header  []byte   // fields of the chain-key record, repeated at each new file
	rotator rotator  // nil unless dst rotates
}

// rotator is a destination that starts new files; Rotate reports whether it
// did, so that the writer begins the new file with a chain-key record.
type rotator interface {
	Rotate() (bool, error)
	Rollback() error // truncate to the size before the last Write
}

type batch struct {
	fields  []byte
	ends    []int
	waiters int // Appends waiting for the batch to be written
	syncers int // of them, those waiting for it to be synced: it is synced only when one does
	done    chan struct{}
	err     error
}

// chainState is where a chain continues: the last seq and mac (hex), and
// the chain key.
type chainState struct {
	key    []byte
	node   string
	seq    uint64
	prev   string
	header []byte
}

// newChain makes a fresh chain: a random node id and chain key, the key
// wrapped under root.
func newChain(ctx context.Context, root Wrapper) (chainState, error) {
	var node [8]byte
	rand.Read(node[:])
	cs := chainState{node: hex.EncodeToString(node[:]), key: make([]byte, 32)}
	rand.Read(cs.key)
	wrapped, err := root.Wrap(ctx, cs.key, chainKeyAAD(cs.node))
	if err != nil {
		return chainState{}, err
	}
	cs.header = headerFields(cs.node, root.ID(), wrapped)
	return cs, nil
}

func headerFields(node, rootID string, wrapped []byte) []byte {
	b := []byte(`"trace_type":"ChainKey","node":`)
	b = audit.AppendJSONString(b, node)
	b = append(b, `,"root_key_id":`...)
	b = audit.AppendJSONString(b, rootID)
	b = append(b, `,"chain_key":"`...)
	b = hex.AppendEncode(b, wrapped)
	return append(b, '"')
}

// start runs the syncer on dst, continuing cs; with header the destination
// is new and begins with the chain-key record.
func start(dst Destination, cs chainState, header bool) *Writer {
	w := &Writer{dst: dst, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: &batch{done: make(chan struct{})}, mac: hmac.New(sha256.New, cs.key),
		seq: cs.seq, header: cs.header}
	clear(cs.key)
	w.rotator, _ = dst.(rotator)
	if cs.prev == "" {
		cs.prev = zeroMAC
	}
	copy(w.prev[:], cs.prev)
	if header {
		w.pending.add(w.header)
		w.wake <- struct{}{}
	}
	go w.syncer()
	return w
}

const zeroMAC = "0000000000000000000000000000000000000000000000000000000000000000"

// ErrClosed is returned by Append after Close.
var ErrClosed = errors.New("trail: closed")

// Mode is how long Append waits.
type Mode int

const (
	// NoWait returns at once, unless too much is pending.
	NoWait Mode = iota
	// Written returns once the record is written to the destination (for
	// a file: handed to the operating system, which keeps it through a
	// crash of kmsd, not of the machine).
	Written
	// Synced returns once the record is also synced (a file's fdatasync).
	Synced
)

// Append adds one record (its JSON fields without braces and chain
// fields). With Written or Synced it returns once the record is that far,
// with the destination's error, or with ctx's error when ctx ends first
// (the record may still be written then).
func (w *Writer) Append(ctx context.Context, fields []byte, mode Mode) error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return ErrClosed
	}
	b := w.pending
	b.add(fields)
	wait := mode != NoWait || len(b.fields) > maxPending
	if wait {
		b.waiters++
	}
	if mode == Synced {
		b.syncers++
	}
	select {
	case w.wake <- struct{}{}:
	default: // a wake-up is pending already
	}
	w.mu.Unlock()
	if !wait {
		return nil
	}
	select {
	case <-b.done:
		return b.err
	case <-ctx.Done():
		return fmt.Errorf("trail: waiting for the sync: %w", ctx.Err())
	}
}

func (b *batch) add(fields []byte) {
	b.fields = append(b.fields, fields...)
	b.ends = append(b.ends, len(b.fields))
}

func (w *Writer) syncer() {
	defer close(w.done)
	var line []byte
	for range w.wake {
		line = w.drain(line)
	}
	w.drain(line)
}

// gatherDelay is how long records nobody waits for gather before they are
// written (without a sync): one write per batch rather than per request.
const gatherDelay = time.Millisecond

// drain commits batches until none is pending.
func (w *Writer) drain(line []byte) []byte {
	for {
		w.mu.Lock()
		b := w.pending
		if len(b.ends) == 0 {
			w.mu.Unlock()
			return line
		}
		if b.waiters == 0 && !w.closed {
			w.mu.Unlock()
			time.Sleep(gatherDelay)
			w.mu.Lock()
			b = w.pending
		}
		w.pending = &batch{done: make(chan struct{}), fields: w.spareFields[:0], ends: w.spareEnds[:0]}
		w.spareFields, w.spareEnds = nil, nil
		w.mu.Unlock()
		line = w.commit(b, line[:0])
		w.mu.Lock()
		w.spareFields, w.spareEnds = b.fields, b.ends // the waiters read only done and err
		w.mu.Unlock()
	}
}

// commit chains, writes and syncs one batch, then wakes its callers. On
// failure the chain state is rolled back (and the file truncated, where it
// can be), so that the next batch chains onto the last durable record.
func (w *Writer) commit(b *batch, buf []byte) []byte {
	seq, prev := w.seq, w.prev
	start := 0
	for _, end := range b.ends {
		buf = w.chain(buf, b.fields[start:end])
		start = end
	}
	err := w.dst.Write(buf)
	if err == nil && b.syncers > 0 {
		err = w.dst.Sync() // also makes the batches before it durable
	}
	if err != nil {
		w.seq, w.prev = seq, prev
		if w.rotator != nil {
			err = errors.Join(err, w.rotator.Rollback())
		}
	} else if w.rotator != nil {
		err = w.rotate()
	}
	b.err = err
	w.syncs.Add(1)
	if err != nil {
		w.failures.Add(1)
		failed := err // only a failure escapes to the heap
		w.lastErr.Store(&failed)
	} else {
		w.records.Add(uint64(len(b.ends)))
		w.lastErr.Store(nil)
	}
	close(b.done)
	return buf
}

// rotate starts a new file when the destination says so; the new file
// begins with the chain-key record, durable before anything follows it.
func (w *Writer) rotate() error {
	rotated, err := w.rotator.Rotate()
	if err != nil || !rotated {
		return err
	}
	seq, prev := w.seq, w.prev
	line := w.chain(nil, w.header)
	if err := w.dst.Write(line); err != nil {
		w.seq, w.prev = seq, prev
		return err
	}
	return w.dst.Sync()
}

// chain appends the line of one record: seq, prev, its fields, and the mac
// of all that.
func (w *Writer) chain(buf, fields []byte) []byte {
	w.seq++
	start := len(buf)
	buf = append(buf, `{"seq":`...)
	buf = strconv.AppendUint(buf, w.seq, 10)
	buf = append(buf, `,"prev":"`...)
	buf = append(buf, w.prev[:]...)
	buf = append(buf, `",`...)
	buf = append(buf, fields...)
	w.mac.Reset()
	w.mac.Write(buf[start:])
	hex.Encode(w.prev[:], w.mac.Sum(w.sum[:0]))
	buf = append(buf, `,"mac":"`...)
	buf = append(buf, w.prev[:]...)
	return append(buf, "\"}\n"...)
}

// Stats reports, since start, the records written, the batches committed
// (one write and one sync each) and the batches that failed.
func (w *Writer) Stats() (records, batches, failed uint64) {
	return w.records.Load(), w.syncs.Load(), w.failures.Load()
}

// Err returns the error of the last batch the writer committed, nil when
// it was written (or none was yet): whether the trail is being written.
func (w *Writer) Err() error {
	if p := w.lastErr.Load(); p != nil {
		return *p
	}
	return nil
}

// Close writes what is pending and closes the destination.
func (w *Writer) Close() error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil
	}
	w.closed = true
	w.mu.Unlock()
	close(w.wake)
	<-w.done
	return w.dst.Close()
}
