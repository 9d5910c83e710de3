package service

import (
	"context"
	"errors"
	"maps"
	"slices"

	"github.com/kmsd/kmsd/internal/authz"
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
	err := s.update(ctx, func(tx Tx) error {
		k, err := tx.GetKeyForUpdate(ctx, id)
		if err != nil {
			return notFound(err)
		}
		if !authz.Owns(c, &k) {
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
		return relink(ctx, tx, newPrimary, reps)
	})
	return newPrimary, kmserrOrNil(err)
}

// relink makes primary the primary of every key in reps (region -> key
// id), in region order, and primary itself no longer a replica.
func relink(ctx context.Context, tx Tx, primary string, reps map[string]string) error {
	if err := tx.DeleteReplicaLink(ctx, primary); err != nil {
		return err
	}
	for _, region := range slices.Sorted(maps.Keys(reps)) {
		if err := tx.PutReplicaLink(ctx, store.ReplicaLink{KeyID: reps[region], PrimaryID: primary, Region: region}); err != nil {
			return err
		}
	}
	return nil
}

// groupOf returns the material group of key id: the id of the key whose
// material it copies (the first primary), or id itself. Groups never
// change, whatever happens later to primaries.
func groupOf(ctx context.Context, r store.RegionReader, id string) (string, error) {
	g, err := r.GetMaterialGroup(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return id, nil
	}
	return g, err
}

// sameMaterial reports whether keys a and b belong to one material group
// (one is a replica of the other, or both replicate one key), and so hold
// the same material versions.
func (s *Service) sameMaterial(ctx context.Context, a, b string) bool {
	ga, err := groupOf(ctx, s.store, a)
	if err != nil {
		return false
	}
	gb, err := groupOf(ctx, s.store, b)
	return err == nil && ga == gb
}

// checkNotReplica refuses write operations of the multi-region API on a
// replica (KMS.0106). A replica whose primary has been deleted stands alone
// and may be replicated or promoted again.
func checkNotReplica(ctx context.Context, r Reader, id string) error {
	l, err := r.GetReplicaLink(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = r.GetKey(ctx, l.PrimaryID)
	switch {
	case err == nil:
		return kmserr.ReplicaReadOnly.Msgf("The key is a replica of %s: only the primary can do this.", l.PrimaryID)
	case errors.Is(err, store.ErrNotFound):
		return nil
	}
	return err
}

// liveReplicas returns a primary's replicas by region. Deleting a key
// removes its links, but a deletion racing with a relink on another node
// can leave one behind: keys that no longer exist are left out.
func liveReplicas(ctx context.Context, r Reader, primary string) (map[string]string, error) {
	links, err := r.ListReplicas(ctx, primary)
	if err != nil {
		return nil, err
	}
	reps := make(map[string]string, len(links))
	for _, l := range links {
		_, err := r.GetKey(ctx, l.KeyID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		reps[l.Region] = l.KeyID
	}
	return reps, nil
}
