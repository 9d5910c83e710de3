package service

import (
	"context"
	"errors"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/store"
)

// UpdatePrimaryRegion makes the replica of c's primary key id in region the
// new primary; id becomes one of its replicas, and the other replicas are
// re-linked to it. Naming c's own region is a no-op. The key must be owned
// (KMS.0207), a primary (KMS.0106) and have a live replica in region
// (KMS.0308). It returns the id of the new primary.
func (s *Service) UpdatePrimaryRegion(ctx context.Context, c domain.Caller, id, region string) (string, error) {
	var newPrimary string
	err := s.store.Update(ctx, func(tx store.Tx) error {
		k, err := tx.GetKeyForUpdate(ctx, id)
		if err != nil {
			return notFound(err)
		}
		if !owns(c, &k) {
			return kmserr.KeyNotFound
		}
		if err := checkNotReplica(ctx, tx, id); err != nil {
			return err
		}
		if region == c.Region {
			newPrimary = id
			return nil
		}
		reps, err := liveReplicas(ctx, tx, id)
		if err != nil {
			return err
		}
		var ok bool
		if newPrimary, ok = reps[region]; !ok {
			return kmserr.InvalidParameter.Msgf("The key has no replica in region %q.", region)
		}
		delete(reps, region)
		reps[c.Region] = id
		return relink(ctx, tx, newPrimary, id, reps)
	})
	return newPrimary, kmserrOrNil(err)
}

// relink records primary as the primary of every key in reps, and removes
// the old primary's replica list.
func relink(ctx context.Context, tx store.Tx, primary, old string, reps map[string]string) error {
	if err := tx.DeleteSetting(ctx, replicaOfSetting(primary)); err != nil {
		return err
	}
	if err := tx.DeleteSetting(ctx, replicasSetting(old)); err != nil {
		return err
	}
	for _, rid := range reps {
		if err := tx.PutSetting(ctx, replicaOfSetting(rid), []byte(primary), false); err != nil {
			return err
		}
	}
	return putJSON(ctx, tx, replicasSetting(primary), reps)
}

// primaryOf returns the primary of key id: the key it replicates, or id.
func (s *Service) primaryOf(ctx context.Context, id string) (string, error) {
	b, err := s.store.GetSetting(ctx, replicaOfSetting(id))
	if errors.Is(err, store.ErrNotFound) {
		return id, nil
	}
	return string(b), err
}

// sameMaterial reports whether keys a and b are replicas of one primary
// (or one is the other's primary), and so hold the same material versions.
func (s *Service) sameMaterial(ctx context.Context, a, b string) bool {
	pa, err := s.primaryOf(ctx, a)
	if err != nil {
		return false
	}
	pb, err := s.primaryOf(ctx, b)
	return err == nil && pa == pb
}
