package iam

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kmsd/kmsd/internal/store"
)

// maxCached bounds each identity cache; past it, lookups still work but go
// to the store.
const maxCached = 100000

// CacheTTL is the longest a cached identity (access key, user, effective
// policies) is used without re-reading the store: the backstop for a
// change that sent no notification to this process (a change an embedded
// store's other process made, such as "kmsd admin" on SQLite) or whose
// notification was lost.
const CacheTTL = 5 * time.Second

// identityCache holds identities read from the store. Only hits are cached,
// so an identity created by another process is found at once; an entry is
// dropped when the store reports a change to it (Service.Watch), and
// expires after CacheTTL.
type identityCache[V any] struct {
	mu           sync.RWMutex
	m            map[string]cached[V]
	clock        func() time.Time
	hits, misses atomic.Uint64
}

type cached[V any] struct {
	v       V
	expires time.Time
}

func newIdentityCache[V any](clock func() time.Time) *identityCache[V] {
	return &identityCache[V]{m: map[string]cached[V]{}, clock: clock}
}

func (c *identityCache[V]) get(k string) (V, bool) {
	c.mu.RLock()
	e, ok := c.m[k]
	c.mu.RUnlock()
	if !ok || !c.clock().Before(e.expires) {
		c.misses.Add(1)
		var zero V
		return zero, false
	}
	c.hits.Add(1)
	return e.v, true
}

func (c *identityCache[V]) put(k string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= maxCached {
		c.dropExpired()
	}
	if len(c.m) < maxCached {
		c.m[k] = cached[V]{v: v, expires: c.clock().Add(CacheTTL)}
	}
}

// dropExpired removes the expired entries (the lock held).
func (c *identityCache[V]) dropExpired() {
	now := c.clock()
	for k, e := range c.m {
		if !now.Before(e.expires) {
			delete(c.m, k)
		}
	}
}

func (c *identityCache[V]) drop(k string) {
	c.mu.Lock()
	delete(c.m, k)
	c.mu.Unlock()
}

func (c *identityCache[V]) clear() {
	c.mu.Lock()
	clear(c.m)
	c.mu.Unlock()
}

// Watch applies the store's change notifications to the identity caches
// until ctx ends: a changed credential or user is dropped, a change to
// groups, memberships, policies or assignments empties the effective
// policies, and a ChangeAll (lost notifications) empties every cache.
// Run it for the life of the node.
func (s *Service) Watch(ctx context.Context) {
	for ch := range s.store.Watch(ctx) {
		s.apply(ch)
	}
}

func (s *Service) apply(ch store.Change) {
	switch ch.Kind {
	case store.ChangeCredential:
		s.secrets.drop(ch.ID)
	case store.ChangeUser:
		s.users.drop(ch.ID)
		s.perms.reset()
	case store.ChangePermissions:
		s.perms.reset()
	case store.ChangeAll:
		s.secrets.clear()
		s.projects.clear()
		s.users.clear()
		s.perms.reset()
	}
}
