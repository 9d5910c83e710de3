// Package limit bounds how much of one node's resources concurrent requests
// can take: a [Gate] for expensive operations (RSA key generation, password
// hashing) and a [Listener] that caps open connections. Both are per node
// and in memory; nothing here is shared across nodes.
package limit

import (
	"context"
	"errors"
	"time"
)

// ErrBusy is returned by [Gate.Do] when no slot freed in time. Callers
// answer it as a throttling error (kmserr.Throttled), never by queueing.
var ErrBusy = errors.New("limit: every slot is busy")

// Gate is a counting semaphore for expensive operations.
//
// Contract: at most Slots functions run under the gate at once. A caller
// waits at most the gate's wait for a slot (zero: not at all); if none frees
// in that time, or ctx ends first, Do returns ErrBusy without running fn.
// Waiting callers spend no CPU, and the wait bounds how long a request can
// queue, so a burst of expensive requests is refused rather than piled up.
//
// A nil *Gate admits everything (tools and tests that need no bound).
// A Gate is safe for concurrent use.
type Gate struct {
	slots chan struct{}
	wait  time.Duration
}

// NewGate returns a gate with slots slots (at least 1) and the given
// longest wait.
func NewGate(slots int, wait time.Duration) *Gate {
	return &Gate{slots: make(chan struct{}, max(slots, 1)), wait: max(wait, 0)}
}

// Slots returns how many functions may run under g at once (0 for nil: no
// bound).
func (g *Gate) Slots() int {
	if g == nil {
		return 0
	}
	return cap(g.slots)
}

// Do runs fn holding a slot and returns its error, or ErrBusy if no slot
// freed within the wait (fn is then not run).
func (g *Gate) Do(ctx context.Context, fn func() error) error {
	if g == nil {
		return fn()
	}
	if !g.acquire(ctx) {
		return ErrBusy
	}
	defer func() { <-g.slots }()
	return fn()
}

func (g *Gate) acquire(ctx context.Context) bool {
	select {
	case g.slots <- struct{}{}:
		return true
	default:
	}
	if g.wait == 0 {
		return false
	}
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return true
	case <-t.C:
	case <-ctx.Done():
	}
	return false
}
