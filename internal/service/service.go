// Package service implements kmsd's key management operations on top of a
// [Store] (the part of a store.Store it uses), a [rootkey.RootKey] and
// package keycrypto. It knows nothing about HTTP: callers pass a
// [domain.Caller] and plain values, and get domain values or *kmserr.Error
// back.
//
// # Caching
//
// Keys and their unwrapped material are cached in a bounded LRU so that the
// data plane needs no store read per request. Every local write drops the
// affected entry, a watcher drops entries on changes made by other processes
// sharing the store ([Store.Watch]), and entries expire after
// [Options.CacheTTL] as a backstop for lost notifications.
package service

import (
	"context"
	"log/slog"
	"time"

	"github.com/kmsd/kmsd/internal/authz"
	"github.com/kmsd/kmsd/internal/limit"
	"github.com/kmsd/kmsd/internal/rootkey"
	"github.com/kmsd/kmsd/internal/store"
)

// DefaultCacheTTL bounds how long a node may use a cached key after another
// node changed it, should the change notification be lost. Notifications
// normally invalidate within milliseconds.
const DefaultCacheTTL = 5 * time.Second

// Limits are the per-project quotas.
type Limits struct {
	KeysPerProject int // CMK quota; default 100
	GrantsPerKey   int // grant_per_CMK quota; default 100
	AliasesPerKey  int // default 50
	TagsPerKey     int // default 10
}

func (l Limits) withDefaults() Limits {
	if l.KeysPerProject <= 0 {
		l.KeysPerProject = 100
	}
	if l.GrantsPerKey <= 0 {
		l.GrantsPerKey = 100
	}
	if l.AliasesPerKey <= 0 {
		l.AliasesPerKey = 50
	}
	if l.TagsPerKey <= 0 {
		l.TagsPerKey = 10
	}
	return l
}

// Options configure a Service.
type Options struct {
	Store     Store
	Root      rootkey.RootKey
	Clock     func() time.Time // default time.Now
	Limits    Limits
	CacheSize int           // keys kept in the cache; default 10000
	CacheTTL  time.Duration // longest a cached key is used without re-reading the store; default 5s
	Logger    *slog.Logger
	// Expensive bounds concurrent RSA key generations (create-key,
	// RSA data key pairs, import parameters); nil means no bound.
	Expensive *limit.Gate
	Seals     SealLimits // seals per key version; zero = the NIST bound (docs/ciphertext.md §3.1)
	// Authz decides every key-level authorization; default authz.Default()
	// (ownership, then grants).
	Authz authz.Decider
}

// Service is the key management service. It is safe for concurrent use.
type Service struct {
	store  Store
	root   rootkey.RootKey
	clock  func() time.Time
	limits Limits
	cache  *keyCache
	seals  *sealCounters
	log    *slog.Logger
	gate   *limit.Gate
	authz  authz.Decider
}

// New returns a Service. Call Watch to follow changes made by other nodes.
func New(o Options) *Service {
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.CacheSize <= 0 {
		o.CacheSize = 10000
	}
	if o.CacheTTL <= 0 {
		o.CacheTTL = DefaultCacheTTL
	}
	if o.Authz == nil {
		o.Authz = authz.Default()
	}
	return &Service{
		store:  o.Store,
		root:   o.Root,
		clock:  o.Clock,
		limits: o.Limits.withDefaults(),
		cache:  newKeyCache(o.CacheSize, o.CacheTTL),
		seals:  newSealCounters(o.Store, o.Seals),
		log:    o.Logger,
		gate:   o.Expensive,
		authz:  o.Authz,
	}
}

// Limits returns the effective quotas.
func (s *Service) Limits() Limits { return s.limits }

// now returns the service clock truncated to milliseconds, the precision of
// the wire format and the store.
func (s *Service) now() time.Time { return s.clock().UTC().Truncate(time.Millisecond) }

// Watch drops cache entries on changes reported by the store until ctx ends.
// It blocks; run it in its own goroutine.
func (s *Service) Watch(ctx context.Context) {
	for ch := range s.store.Watch(ctx) {
		switch ch.Kind {
		case store.ChangeKey, store.ChangeGrant:
			s.cache.drop(ch.ID)
		case store.ChangeAll:
			s.cache.dropAll()
		}
	}
}
