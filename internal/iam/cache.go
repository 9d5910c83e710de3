package iam

import "sync"

// maxCached bounds each identity cache; past it, lookups still work but go
// to the store.
const maxCached = 100000

// immutableCache holds values that never change once created (credentials,
// projects, users). Only hits are cached, so an identity created by another process
// is found at once.
type immutableCache[V any] struct {
	mu sync.RWMutex
	m  map[string]V
}

func newImmutableCache[V any]() *immutableCache[V] {
	return &immutableCache[V]{m: map[string]V{}}
}

func (c *immutableCache[V]) get(k string) (V, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.m[k]
	return v, ok
}

func (c *immutableCache[V]) put(k string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) < maxCached {
		c.m[k] = v
	}
}
