package jobs

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

type fakeWorker struct {
	mu       sync.Mutex
	batches  []int
	err      error
	inFlight atomic.Int32
	overlap  atomic.Bool
}

func (w *fakeWorker) RunDue(context.Context) (int, error) {
	if w.inFlight.Add(1) > 1 {
		w.overlap.Store(true)
	}
	defer w.inFlight.Add(-1)
	time.Sleep(time.Millisecond)
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.batches) == 0 {
		return 0, w.err
	}
	n := w.batches[0]
	w.batches = w.batches[1:]
	return n, w.err
}

func TestRunOnceDrainsBacklog(t *testing.T) {
	w := &fakeWorker{batches: []int{100, 100, 3}}
	(&Runner{Worker: w}).RunOnce(context.Background())
	if len(w.batches) != 0 {
		t.Fatalf("backlog left: %v", w.batches)
	}
}

func TestRunOnceStopsOnError(t *testing.T) {
	w := &fakeWorker{batches: []int{5, 5}, err: errors.New("boom")}
	(&Runner{Worker: w}).RunOnce(context.Background())
	if len(w.batches) != 1 {
		t.Fatalf("kept going after an error: %v", w.batches)
	}
}

func TestPassesNeverOverlap(t *testing.T) {
	w := &fakeWorker{batches: make([]int, 50)}
	r := &Runner{Worker: w}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() { defer wg.Done(); r.RunOnce(context.Background()) }()
	}
	wg.Wait()
	if w.overlap.Load() {
		t.Fatal("two passes ran at once")
	}
}

func TestRunStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { (&Runner{Worker: &fakeWorker{}, Interval: time.Millisecond}).Run(ctx); close(done) }()
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}
