package audit

import (
	"io"
	"sync"
	"time"
)

// batchDelay is the longest a line waits in the buffer before its write
// starts.
const batchDelay = time.Millisecond

// batchLimit is how much a BatchWriter buffers before a Write waits for
// the flush (backpressure: lines are never dropped).
const batchLimit = 1 << 20

// BatchWriter moves the write system call of log lines off the request path:
// Write appends to a buffer and wakes a flusher goroutine, which writes
// everything that accumulated in one call. Under load that turns one system
// call per request into one per batch. Lines are written in order, none is
// dropped, and Close writes whatever is left. What a crash (SIGKILL) can
// lose is the lines of the last millisecond, which had not reached the
// kernel yet: it carries the operational log, never the audit trail
// (package trail).
type BatchWriter struct {
	out  io.Writer
	mu   sync.Mutex
	buf  []byte
	wake chan struct{}
	done chan struct{}
	wmu  sync.Mutex // serialises writes to out (flusher vs. synchronous flushes)
}

// NewBatchWriter starts a BatchWriter writing to out.
func NewBatchWriter(out io.Writer) *BatchWriter {
	w := &BatchWriter{out: out, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go w.flusher()
	return w
}

// Write buffers p. It never fails; write errors of out are ignored, like
// those of a logger writing to stderr.
func (w *BatchWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	w.buf = append(w.buf, p...)
	full := len(w.buf) >= batchLimit
	w.mu.Unlock()
	if full {
		w.flush()
		return len(p), nil
	}
	select {
	case w.wake <- struct{}{}:
	default: // a wake-up is already pending
	}
	return len(p), nil
}

func (w *BatchWriter) flusher() {
	for range w.wake {
		// Let lines gather for a moment: under load that is one wake-up
		// and one write per batch rather than per request.
		time.Sleep(batchDelay)
		w.flush()
	}
	w.flush()
	close(w.done)
}

// flush writes the buffered bytes. The write-lock is taken before the buffer
// is swapped so that batches reach out in the order they were buffered.
func (w *BatchWriter) flush() {
	w.wmu.Lock()
	defer w.wmu.Unlock()
	w.mu.Lock()
	b := w.buf
	w.buf = nil
	w.mu.Unlock()
	if len(b) > 0 {
		w.out.Write(b)
	}
}

// Close flushes and stops the flusher. Writes after Close are not allowed.
func (w *BatchWriter) Close() error {
	close(w.wake)
	<-w.done
	return nil
}
