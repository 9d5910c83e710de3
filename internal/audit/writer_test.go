package audit

import (
	"bytes"
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
