package limit

import (
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// hold runs a function under g that blocks until the returned release is
// called; it returns once the function holds its slot.
func hold(t *testing.T, g *Gate) (release func()) {
	t.Helper()
	held, done := make(chan struct{}), make(chan struct{})
	go g.Do(context.Background(), func() error { close(held); <-done; return nil })
	<-held
	return func() { close(done) }
}

func TestGateRefusesWhenFull(t *testing.T) {
	g := NewGate(1, 0)
	release := hold(t, g)
	ran := false
	if err := g.Do(context.Background(), func() error { ran = true; return nil }); !errors.Is(err, ErrBusy) || ran {
		t.Fatalf("full gate: err %v, ran %v", err, ran)
	}
	release()
}

func TestGateWaitsForAFreedSlot(t *testing.T) {
	g := NewGate(1, time.Hour)
	release := hold(t, g)
	done := make(chan error)
	go func() { done <- g.Do(context.Background(), func() error { return errors.New("ran") }) }()
	release()
	if err := <-done; err == nil || err.Error() != "ran" {
		t.Fatalf("waiter: %v", err)
	}
}

func TestGateWaitIsBounded(t *testing.T) {
	g := NewGate(1, 20*time.Millisecond)
	defer hold(t, g)()
	if err := g.Do(context.Background(), func() error { return nil }); !errors.Is(err, ErrBusy) {
		t.Fatalf("after the wait: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := NewGate(1, time.Hour).Do(ctx, func() error { return nil }); err != nil {
		t.Fatalf("a free slot is taken even with a done context: %v", err)
	}
	g2 := NewGate(1, time.Hour)
	defer hold(t, g2)()
	if err := g2.Do(ctx, func() error { return nil }); !errors.Is(err, ErrBusy) {
		t.Fatalf("done context: %v", err)
	}
}

func TestGateBoundsConcurrency(t *testing.T) {
	const slots = 3
	g := NewGate(slots, time.Hour)
	var now, peak atomic.Int32
	var wg sync.WaitGroup
	for range 40 {
		wg.Go(func() {
			g.Do(context.Background(), func() error {
				n := now.Add(1)
				for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
				}
				time.Sleep(time.Millisecond)
				now.Add(-1)
				return nil
			})
		})
	}
	wg.Wait()
	if p := peak.Load(); p > slots || p < 1 {
		t.Fatalf("peak concurrency %d with %d slots", p, slots)
	}
	if g.Slots() != slots || (*Gate)(nil).Slots() != 0 {
		t.Fatal("Slots")
	}
}

func TestNilGateAdmitsEverything(t *testing.T) {
	var g *Gate
	if err := g.Do(context.Background(), func() error { return nil }); err != nil {
		t.Fatal(err)
	}
}

func TestListenerCapsOpenConnections(t *testing.T) {
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := Listener(inner, 2)
	defer l.Close()
	for range 3 {
		c, err := net.Dial("tcp", inner.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	first, _ := l.Accept()
	second, _ := l.Accept()
	third := make(chan net.Conn)
	go func() { c, _ := l.Accept(); third <- c }()
	select {
	case <-third:
		t.Fatal("a third connection was accepted while two are open")
	case <-time.After(50 * time.Millisecond):
	}
	first.Close()
	first.Close() // a second close frees nothing more
	if c := <-third; c == nil {
		t.Fatal("no connection accepted after one closed")
	}
	second.Close()

	waiting := make(chan error)
	full := Listener(inner, 1)
	held, _ := net.Dial("tcp", inner.Addr().String())
	defer held.Close()
	c, _ := full.Accept()
	defer c.Close()
	go func() { _, err := full.Accept(); waiting <- err }()
	full.Close()
	if err := <-waiting; !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Accept after Close: %v", err)
	}
	if Listener(inner, 0) != inner {
		t.Fatal("n < 1 must not wrap")
	}
}
