// Package replay is an opt-in guard against the replay of signed requests.
//
// An AK/SK signature is valid for any number of requests inside the
// ±15 minute skew window; Huawei's API gateway accepts repeats, and so does
// kmsd by default. With a Guard, a node remembers every guarded request it
// accepted until the request's X-Sdk-Date leaves the window, and refuses the
// same signed request again. The guard is per node: a repeat sent to
// another node of a cluster is not seen.
package replay

import (
	"container/heap"
	"errors"
	"sync"
	"time"
)

// Errors returned by Guard.Admit.
var (
	// ErrReplayed: the same signed request was admitted before and its
	// window has not ended.
	ErrReplayed = errors.New("replay: request already received")
	// ErrFull: the guard holds Capacity live entries; nothing is admitted
	// until some expire (it fails closed rather than forgetting).
	ErrFull = errors.New("replay: guard is full")
)

// Key identifies one signed request: a hash of the access key and the
// string to sign, which does not change when a malleable (ECDSA, SM2)
// signature is re-encoded.
type Key [32]byte

// Guard remembers admitted keys until they expire. It holds at most
// capacity live entries (about 100 bytes each); expired ones are dropped
// as time passes, in expiry order, at O(log n) per admission. The zero
// value is not usable; use New. A Guard is safe for concurrent use.
type Guard struct {
	mu       sync.Mutex
	capacity int
	seen     map[Key]time.Time
	expiry   expiryHeap
}

// New returns a guard holding at most capacity entries (capacity > 0).
func New(capacity int) *Guard {
	return &Guard{capacity: capacity, seen: make(map[Key]time.Time)}
}

// Admit records k until expires and returns nil, or returns ErrReplayed if
// k was admitted before and has not expired at now, or ErrFull if
// capacity entries are live at now.
func (g *Guard) Admit(k Key, expires, now time.Time) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.dropExpired(now)
	if _, ok := g.seen[k]; ok {
		return ErrReplayed
	}
	if len(g.seen) >= g.capacity {
		return ErrFull
	}
	g.seen[k] = expires
	heap.Push(&g.expiry, entry{k, expires})
	return nil
}

// dropExpired forgets every entry whose expiry is not after now.
func (g *Guard) dropExpired(now time.Time) {
	for len(g.expiry) > 0 && !now.Before(g.expiry[0].expires) {
		e := heap.Pop(&g.expiry).(entry)
		delete(g.seen, e.key)
	}
}

// Len returns the number of live entries as of the last admission.
func (g *Guard) Len() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.seen)
}

type entry struct {
	key     Key
	expires time.Time
}

// expiryHeap is a min-heap of entries by expiry (container/heap).
type expiryHeap []entry

func (h expiryHeap) Len() int           { return len(h) }
func (h expiryHeap) Less(i, j int) bool { return h[i].expires.Before(h[j].expires) }
func (h expiryHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *expiryHeap) Push(x any)        { *h = append(*h, x.(entry)) }
func (h *expiryHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}
