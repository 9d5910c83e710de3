package service

import (
	"context"
	"errors"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
)

// dueBatch is how many due keys one RunDue pass reads at a time.
const dueBatch = 100

// RunDue performs the background work due at the service clock's now:
// deleting keys whose deletion date has passed, rotating keys whose rotation
// interval has elapsed, and removing imported material past its expiry.
//
// Each key is handled in its own transaction that locks the key and
// re-checks the condition, so when several nodes run RunDue at once every
// due item is acted on exactly once. Per-key failures do not stop the pass;
// they are joined into the returned error. It returns the number of keys
// acted on.
func (s *Service) RunDue(ctx context.Context) (int, error) {
	now := s.now()
	keys, err := s.store.KeysDue(ctx, now, dueBatch)
	if err != nil {
		return 0, err
	}
	var errs []error
	done := 0
	for _, k := range keys {
		if ctx.Err() != nil {
			break
		}
		acted, err := s.runDueKey(ctx, k.ID, now)
		if err != nil {
			errs = append(errs, err)
		}
		if acted {
			done++
		}
	}
	return done, errors.Join(errs...)
}

// runDueKey acts on key id if it is still due once locked. The action is
// logged only after its transaction committed, so across a cluster each
// action appears in the logs exactly once, even when a node dies mid-pass.
func (s *Service) runDueKey(ctx context.Context, id string, now time.Time) (bool, error) {
	var logAction func()
	err := s.update(ctx, func(tx Tx) error {
		k, err := tx.GetKeyForUpdate(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil // another node deleted it
		}
		if err != nil {
			return err
		}
		logAction, err = s.dueAction(ctx, tx, &k, now)
		return err
	})
	s.cache.drop(id)
	if err != nil || logAction == nil {
		return false, err
	}
	logAction()
	return true, nil
}

// dueAction applies whichever background action k needs at now, if any, and
// returns a function logging it (nil when nothing was due).
func (s *Service) dueAction(ctx context.Context, tx Tx, k *domain.Key, now time.Time) (func(), error) {
	id := k.ID
	switch {
	case deletionDue(k, now):
		at := k.DeletionDate
		return func() { s.log.Info("deleting key", "key_id", id, "scheduled", at) }, deleteKey(ctx, tx, id)
	case expiryDue(k, now):
		return func() { s.log.Info("imported material expired", "key_id", id) }, s.dropMaterial(ctx, tx, k)
	case RotationDue(k, now):
		v := k.PrimaryVersion + 1
		return func() { s.log.Info("rotating key", "key_id", id, "version", v) }, s.rotate(ctx, tx, k, now)
	}
	return nil, nil
}

// deleteKey removes a key and everything kept about it, including the
// fingerprint of imported material.
func deleteKey(ctx context.Context, tx Tx, id string) error {
	if err := tx.DeleteKey(ctx, id); err != nil {
		return err
	}
	return tx.DeleteSetting(ctx, importFingerprintSetting(id))
}

func deletionDue(k *domain.Key, now time.Time) bool {
	return k.State == domain.StatePendingDeletion && !k.DeletionDate.After(now)
}

func expiryDue(k *domain.Key, now time.Time) bool {
	return k.Origin == domain.OriginExternal && !k.MaterialExpiry.IsZero() &&
		!k.MaterialExpiry.After(now) &&
		(k.State == domain.StateEnabled || k.State == domain.StateDisabled)
}

// RotationDue reports whether k's rotation interval has elapsed at now.
func RotationDue(k *domain.Key, now time.Time) bool {
	if !k.RotationEnabled || k.State != domain.StateEnabled || !k.HasMaterial() {
		return false
	}
	last := k.LastRotation
	if last.IsZero() {
		last = k.CreatedAt
	}
	return !last.Add(time.Duration(k.RotationInterval) * 24 * time.Hour).After(now)
}

// rotate adds a new primary version to k. Earlier versions stay, so every
// earlier ciphertext still decrypts.
func (s *Service) rotate(ctx context.Context, tx Tx, k *domain.Key, now time.Time) error {
	v, err := s.generateVersion(ctx, k, k.PrimaryVersion+1)
	if err != nil {
		return err
	}
	if err := tx.CreateVersion(ctx, v); err != nil {
		return err
	}
	k.PrimaryVersion = v.Version
	k.LastRotation = now
	k.RotationCount++
	return tx.UpdateKey(ctx, *k)
}

// dropMaterial deletes an external key's material: it returns to pending
// import.
func (s *Service) dropMaterial(ctx context.Context, tx Tx, k *domain.Key) error {
	if err := tx.DeleteVersions(ctx, k.ID); err != nil {
		return err
	}
	k.PrimaryVersion = 0
	k.MaterialExpiry = time.Time{}
	k.State = domain.StatePendingImport
	return tx.UpdateKey(ctx, *k)
}
