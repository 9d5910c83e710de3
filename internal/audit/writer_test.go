package audit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

type lockedBuffer struct {
	mu     sync.Mutex
	b      bytes.Buffer
	writes int
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.writes++
	return l.b.Write(p)
}

func TestBatchWriterKeepsEveryLineInOrder(t *testing.T) {
	var out lockedBuffer
	w := NewBatchWriter(&out)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 2000 {
				fmt.Fprintf(w, "g%d line %d\n", g, i)
			}
		}()
	}
	wg.Wait()
	w.Close()
	lines := strings.Split(strings.TrimSuffix(out.b.String(), "\n"), "\n")
	if len(lines) != 16000 {
		t.Fatalf("%d lines, want 16000", len(lines))
	}
	next := map[string]int{}
	for _, l := range lines {
		var g string
		var i int
		if _, err := fmt.Sscanf(l, "%s line %d", &g, &i); err != nil {
			t.Fatalf("torn line %q", l)
		}
		if next[g] != i {
			t.Fatalf("%s: line %d after %d", g, i, next[g]-1)
		}
		next[g]++
	}
	t.Logf("16000 lines in %d writes", out.writes)
}

func TestBatchWriterBackpressure(t *testing.T) {
	var out lockedBuffer
	w := NewBatchWriter(&out)
	big := bytes.Repeat([]byte("x"), batchLimit+1)
	w.Write(big)
	w.Close()
	if out.b.Len() != len(big) {
		t.Fatalf("wrote %d of %d bytes", out.b.Len(), len(big))
	}
}

// failingWriter fails every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// A durable event is in the writer's destination when Record returns, after
// the lines buffered before it; a buffered one may wait for the flusher.
func TestLogDurableWritesThroughBatchWriter(t *testing.T) {
	var out lockedBuffer
	w := NewBatchWriter(&out)
	defer w.Close()
	l := Log{W: w}
	ctx := context.Background()
	if err := l.Record(ctx, Event{Action: "encrypt-data", Status: 200}); err != nil {
		t.Fatal(err)
	}
	if err := l.Record(ctx, Event{Action: "create-key", Status: 200, Durable: true}); err != nil {
		t.Fatal(err)
	}
	out.mu.Lock()
	got := out.b.String()
	out.mu.Unlock()
	first, second := strings.Index(got, `"action":"encrypt-data"`), strings.Index(got, `"action":"create-key"`)
	if first < 0 || second < first {
		t.Fatalf("after a durable record the destination holds %q", got)
	}
	if strings.Contains(got, "Durable") || strings.Contains(got, "durable") {
		t.Fatalf("the durability request is part of the line: %q", got)
	}
}

// A destination that fails fails a durable record; a buffered record
// cannot see the failure (BatchWriter.Write never fails), while a plain
// writer reports it either way.
func TestLogDurableReportsWriteErrors(t *testing.T) {
	ctx := context.Background()
	w := NewBatchWriter(failingWriter{})
	defer w.Close()
	if err := (Log{W: w}).Record(ctx, Event{Durable: true}); err == nil {
		t.Fatal("durable record through a failing BatchWriter succeeded")
	}
	if err := (Log{W: w}).Record(ctx, Event{}); err != nil {
		t.Fatalf("buffered record: %v", err)
	}
	for _, durable := range []bool{true, false} {
		if err := (Log{W: failingWriter{}}).Record(ctx, Event{Durable: durable}); err == nil {
			t.Fatalf("durable %v: record to a failing writer succeeded", durable)
		}
	}
}
