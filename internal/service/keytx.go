package service

import (
	"context"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/op"
	"github.com/kmsd/kmsd/internal/store"
)

// keyTx runs fn in one store transaction on the locked, current version of
// key id, after checking that c may perform action on it (see [Service.decide]: the
// owner may do anything, a grantee only granted operations, a stranger gets
// KMS.0207). With lockProject the key's project is locked first, so that
// per-project counts and uniqueness checks made by fn are race-free (the
// lock order is always project, then key). fn persists its own writes; it
// returns an API error to abort. The key's cache entry is dropped after the
// transaction, committed or not, so every node's next use sees the change.
func (s *Service) keyTx(ctx context.Context, c domain.Caller, id string, action op.Name, lockProject bool,
	fn func(tx store.Tx, k *domain.Key) error) error {
	err := s.store.Update(ctx, func(tx store.Tx) error {
		if lockProject {
			k0, err := tx.GetKey(ctx, id)
			if err != nil {
				return notFound(err)
			}
			if err := tx.LockProject(ctx, k0.ProjectID); err != nil {
				return err
			}
		}
		k, err := tx.GetKeyForUpdate(ctx, id)
		if err != nil {
			return notFound(err)
		}
		grants := func() ([]domain.Grant, error) {
			return tx.ListGranteeGrants(ctx, k.ID, []string{c.UserID, c.DomainID})
		}
		if err := s.decide(ctx, c, action, &k, nil, grants); err != nil {
			return err
		}
		return fn(tx, &k)
	})
	s.cache.drop(id)
	if err != nil {
		return kmserr.From(err)
	}
	return nil
}

// readKey returns the cached snapshot of key ref (id, alias or alias URN)
// if c may perform action on it.
func (s *Service) readKey(ctx context.Context, c domain.Caller, ref string, action op.Name) (*cachedKey, error) {
	id, err := s.ResolveKeyRef(ctx, c, ref)
	if err != nil {
		return nil, err
	}
	ck, err := s.load(ctx, id)
	if err != nil {
		return nil, notFound(err)
	}
	if err := s.decide(ctx, c, action, &ck.key, ck.grants, nil); err != nil {
		return nil, err
	}
	return ck, nil
}

// updateKey persists k inside fn of keyTx and bumps k.Revision.
func updateKey(ctx context.Context, tx store.Tx, k *domain.Key) error {
	if err := tx.UpdateKey(ctx, *k); err != nil {
		return mapUpdateErr(err)
	}
	k.Revision++
	return nil
}
