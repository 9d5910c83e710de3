package service

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/store"
)

// Seal counting (docs/ciphertext.md §3.1). AES-GCM and SM4-GCM with random
// 96-bit nonces must not seal more than 2^32 messages under one key (NIST
// SP 800-38D §8.3). Every seal under a key version therefore takes a number
// from a block of numbers this node reserved in the store before using any
// of them (store.KeyWriter.ReserveSeals), so the stored total is never below the
// true count, crash or not: a node that stops forfeits the unused rest of
// its blocks. The hot path is one atomic decrement; the store is written
// once per block.

// Seal limits by default.
const (
	// DefaultSealLimit is the most seals one key version makes, the NIST
	// bound. Counting only over-estimates, so the true number never
	// exceeds it.
	DefaultSealLimit int64 = 1 << 32
	// DefaultSealBlock is how many seal numbers a node reserves at a time.
	DefaultSealBlock int64 = 1 << 16
)

// SealLimits bound the seals made under one key version. Zero fields take
// the defaults; tests set small values to reach the limit quickly.
type SealLimits struct {
	// Limit is the most seals per key version; past it encryption is
	// refused with KMS.2109. At Limit/2 (RotateAt) a key kmsd may rotate
	// gets a new primary version.
	Limit int64
	// Block is how many seals a node reserves in the store at a time: the
	// most one node can forfeit per key version when it stops.
	Block int64
}

func (l SealLimits) withDefaults() SealLimits {
	if l.Limit <= 0 {
		l.Limit = DefaultSealLimit
	}
	if l.Block <= 0 {
		l.Block = DefaultSealBlock
	}
	return l
}

// RotateAt is the reserved count past which a key version is replaced by a
// new one, for keys kmsd may rotate: half the limit, which leaves the other
// half for the rotation to reach every node.
func (l SealLimits) RotateAt() int64 { return l.Limit / 2 }

// sealCounters holds this node's share of every key version's seals.
type sealCounters struct {
	store  Store
	limits SealLimits
	// versions maps a sealID to its *versionSeals: one small entry per key
	// version this process has sealed with, kept until it exits.
	versions sync.Map
}

type sealID struct {
	keyID   string
	version int
}

// versionSeals is what this node may still seal under one key version: the
// unused rest of the block it reserved last.
type versionSeals struct {
	// left is the number of seals left in the block. It goes negative
	// while takers wait for a refill; only a refill (under mu, when it is
	// not positive) sets it, so no seal is handed out twice.
	left      atomic.Int64
	exhausted atomic.Bool // the stored total reached the limit: refuse without a store write
	mu        sync.Mutex  // serializes refills
}

func newSealCounters(st Store, l SealLimits) *sealCounters {
	return &sealCounters{store: st, limits: l.withDefaults()}
}

// take claims one seal of version v of key keyID. It reports whether the
// claim reserved a block past RotateAt (the caller rotates the key), and
// fails with KMS.2109 once the version has used its limit.
func (c *sealCounters) take(ctx context.Context, keyID string, v int) (bool, error) {
	vs := c.version(keyID, v)
	if vs.left.Add(-1) >= 0 {
		return false, nil
	}
	return c.refill(ctx, vs, keyID, v)
}

func (c *sealCounters) version(keyID string, v int) *versionSeals {
	id := sealID{keyID, v}
	if vs, ok := c.versions.Load(id); ok {
		return vs.(*versionSeals)
	}
	vs, _ := c.versions.LoadOrStore(id, &versionSeals{})
	return vs.(*versionSeals)
}

// refill reserves the next block of vs in the store, counted against the
// key's material group (replicas share material, so they share the count),
// and claims its first seal.
func (c *sealCounters) refill(ctx context.Context, vs *versionSeals, keyID string, v int) (bool, error) {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	if vs.exhausted.Load() {
		return false, errSealLimit(v, c.limits.Limit)
	}
	if vs.left.Add(-1) >= 0 { // another taker refilled while this one waited
		return false, nil
	}
	group, err := groupOf(ctx, c.store, keyID)
	if err != nil {
		return false, kmserr.Internal.Wrap(err)
	}
	var total int64
	err = c.store.Update(ctx, func(tx store.Tx) (err error) {
		total, err = tx.ReserveSeals(ctx, group, v, c.limits.Block)
		return err
	})
	if err != nil {
		return false, kmserr.Internal.Wrap(err)
	}
	start := total - c.limits.Block
	if start >= c.limits.Limit {
		vs.exhausted.Store(true)
		return false, errSealLimit(v, c.limits.Limit)
	}
	vs.left.Store(min(total, c.limits.Limit) - start - 1)
	return total > c.limits.RotateAt(), nil
}

func errSealLimit(v int, limit int64) error {
	return kmserr.SealLimit.Msgf("Version %d of this key has sealed %d messages, the most AES-GCM with random nonces allows "+
		"(NIST SP 800-38D), and was not rotated. It still decrypts; encrypt with another key.", v, limit)
}

// sealRotatable reports whether kmsd rotates k by itself when its primary
// version nears the seal limit: enabled symmetric keys whose material kmsd
// generated (default keys included). Imported material cannot be replaced.
func sealRotatable(k *domain.Key) bool {
	return k.Spec.Rotatable() && k.Origin == domain.OriginKMS && k.State == domain.StateEnabled
}

// rotateForSeals gives key id a new primary version once its version v has
// reserved RotateAt seals, if sealRotatable and v is still the primary;
// otherwise it warns that encryption stops at the limit. A failure is
// logged, not returned: the next block retries, with half the limit to go.
func (s *Service) rotateForSeals(ctx context.Context, id string, v int) {
	var k domain.Key
	rotated := false
	err := s.update(ctx, func(tx Tx) (err error) {
		if k, err = tx.GetKeyForUpdate(ctx, id); err != nil || k.PrimaryVersion != v || !sealRotatable(&k) {
			return err
		}
		rotated = true
		return s.rotate(ctx, tx, &k, s.now())
	})
	s.cache.drop(id)
	limit := s.seals.limits.Limit
	switch {
	case err != nil:
		s.log.Error("rotating key at its seal limit failed", "key_id", id, "version", v, "err", err)
	case rotated:
		s.log.Info("rotating key", "key_id", id, "version", k.PrimaryVersion, "reason", "seal limit", "seals", s.seals.limits.RotateAt())
	case k.PrimaryVersion == v:
		s.log.Warn("key version nears its seal limit and cannot be rotated; encryption stops at the limit",
			"key_id", id, "version", v, "limit", limit)
	}
}
