package service

import (
	"context"
	"slices"

	"github.com/kmsd/kmsd/internal/authz"
	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/op"
)

// RetireGrant deletes grant grantID of key ref. Allowed callers: the key's
// owner, the grant's issuing user, its retiring principal (the caller's user
// or account id), and its grantee when the grant itself lists retire-grant.
// Others that are related to the key (owner's project, a grantee of any
// grant on it) get KMS.0306; everyone else KMS.0207, as if the key did not
// exist. An unknown grant answers KMS.2501, a grant of another key KMS.2502
// (to related callers). The key's cache entry is dropped, so the grant stops
// working at once.
func (s *Service) RetireGrant(ctx context.Context, c domain.Caller, ref, grantID string) error {
	id, err := s.ResolveKeyRef(ctx, c, ref)
	if err != nil {
		return err
	}
	err = s.update(ctx, func(tx Tx) error {
		k, err := tx.GetKeyForUpdate(ctx, id)
		if err != nil {
			return notFound(err)
		}
		g, gerr := grantOf(ctx, tx, k.ID, grantID)
		if gerr == nil && mayRetire(c, &k, g) {
			return tx.DeleteGrant(ctx, grantID)
		}
		held, err := s.heldOps(ctx, tx, c, k.ID)
		if err != nil {
			return err
		}
		switch {
		case !authz.Owns(c, &k) && held == nil:
			return kmserr.KeyNotFound
		case gerr != nil:
			return gerr
		}
		return kmserr.NoKeyPermission.Msgf("The caller may not retire this grant.")
	})
	s.cache.drop(id)
	if err != nil {
		return kmserr.From(err)
	}
	return nil
}

func mayRetire(c domain.Caller, k *domain.Key, g domain.Grant) bool {
	switch {
	case authz.Owns(c, k), g.IssuingPrincipal == c.UserID:
		return true
	case g.RetiringPrincipal != "" && (g.RetiringPrincipal == c.UserID || g.RetiringPrincipal == c.DomainID):
		return true
	}
	return authz.IsGrantee(c, g) && slices.Contains(g.Operations, string(op.RetireGrant))
}
