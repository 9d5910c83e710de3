package service

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"

	"github.com/kmsd/kmsd/internal/domain"
)

// cachedKey is an immutable snapshot of a key, its grants and its unwrapped
// material. Material slices must not be modified by readers.
type cachedKey struct {
	key      domain.Key
	material map[int][]byte // version -> unwrapped material
	public   map[int][]byte // version -> public key DER (asymmetric)
	grants   []domain.Grant
}

// keyCache is a bounded LRU of cachedKey with an epoch that makes loads
// racing with an invalidation harmless: a load started before an
// invalidation is not inserted. Entries also expire after ttl, which bounds
// how long a node can act on a stale key if a change notification from
// another node is lost.
type keyCache struct {
	mu    sync.Mutex // serialises epoch checks with inserts
	epoch atomic.Uint64
	lru   *expirable.LRU[string, *cachedKey]

	hits, misses atomic.Uint64
}

func newKeyCache(size int, ttl time.Duration) *keyCache {
	return &keyCache{lru: expirable.NewLRU[string, *cachedKey](size, nil, ttl)}
}

func (c *keyCache) get(id string) (*cachedKey, bool) {
	v, ok := c.lru.Get(id)
	if ok {
		c.hits.Add(1)
	} else {
		c.misses.Add(1)
	}
	return v, ok
}

// KeyCacheStats reports the key lookups that the key cache answered and
// those that went to the store, since start.
func (s *Service) KeyCacheStats() (hits, misses uint64) {
	return s.cache.hits.Load(), s.cache.misses.Load()
}

// begin returns the epoch to pass to put after loading from the store.
func (c *keyCache) begin() uint64 { return c.epoch.Load() }

// put inserts v unless an invalidation happened since begin returned epoch.
func (c *keyCache) put(epoch uint64, v *cachedKey) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.epoch.Load() == epoch {
		c.lru.Add(v.key.ID, v)
	}
}

func (c *keyCache) drop(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch.Add(1)
	c.lru.Remove(id)
}

func (c *keyCache) dropAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch.Add(1)
	c.lru.Purge()
}
