package iam

import (
	"context"
	"sync"

	"github.com/kmsd/kmsd/internal/store"
)

// maxCached bounds each identity cache; past it, lookups still work but go
// to the store.
const maxCached = 100000

// identityCache holds identities read from the store. Only hits are cached,
// so an identity created by another process is found at once; an entry is
// dropped when the store reports a change to it (Service.Watch).
type identityCache[V any] struct {
	mu sync.RWMutex
	m  map[string]V
}

func newIdentityCache[V any]() *identityCache[V] {
	return &identityCache[V]{m: map[string]V{}}
}

func (c *identityCache[V]) get(k string) (V, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.m[k]
	return v, ok
}

func (c *identityCache[V]) put(k string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) < maxCached {
		c.m[k] = v
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
