package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"slices"

	"github.com/kmsd/kmsd/internal/authz"
	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/op"
	"github.com/kmsd/kmsd/internal/store"
)

// NewGrant describes a grant to create; the API layer has validated every
// field's format.
type NewGrant struct {
	KeyRef            string
	Grantee           string
	GranteeType       string // domain.GranteeUser (default) or domain.GranteeDomain
	Operations        []string
	Name              string
	RetiringPrincipal string
}

// CreateGrant creates a grant on key g.KeyRef and returns its id (64 hex
// digits from crypto/rand). The owner may grant any grantable operations; a
// grantee holding create-grant may grant only operations it holds itself
// (else KMS.0306). Default keys KMS.0211; the key must be enabled (KMS.0209,
// KMS.0210, KMS.1301); a key with Limits.GrantsPerKey grants KMS.2404,
// counted under the project lock so concurrent creations cannot exceed it.
func (s *Service) CreateGrant(ctx context.Context, c domain.Caller, g NewGrant) (string, error) {
	id, err := s.ResolveKeyRef(ctx, c, g.KeyRef)
	if err != nil {
		return "", err
	}
	grantID, err := newGrantID()
	if err != nil {
		return "", kmserr.Internal.Wrap(err)
	}
	err = s.keyTx(ctx, c, id, op.CreateGrant, true, func(tx store.Tx, k *domain.Key) error {
		if err := s.checkDelegation(ctx, tx, c, k, g.Operations); err != nil {
			return err
		}
		if k.Default {
			return kmserr.DefaultKey
		}
		if err := checkUsable(k); err != nil {
			return err
		}
		n, err := tx.CountGrants(ctx, k.ID)
		if err != nil {
			return err
		}
		if n >= s.limits.GrantsPerKey {
			return kmserr.GrantsPerKey.Msgf("The key already has %d grants (the quota).", n)
		}
		return tx.CreateGrant(ctx, s.grantFor(c, k, grantID, g))
	})
	if err != nil {
		return "", err
	}
	return grantID, nil
}

// checkDelegation refuses a grantee granting operations it does not hold.
func (s *Service) checkDelegation(ctx context.Context, tx Tx, c domain.Caller, k *domain.Key, ops []string) error {
	if authz.Owns(c, k) {
		return nil
	}
	held, err := s.heldOps(ctx, tx, c, k.ID)
	if err != nil {
		return err
	}
	for _, op := range ops {
		if !slices.Contains(held, op) {
			return kmserr.NoKeyPermission.Msgf("A grantee may only grant operations it holds; it does not hold %s.", op)
		}
	}
	return nil
}

// heldOps returns the union of the operations of c's grants on key id.
func (s *Service) heldOps(ctx context.Context, tx Reader, c domain.Caller, id string) ([]string, error) {
	gs, err := tx.ListGranteeGrants(ctx, id, []string{c.UserID, c.DomainID})
	if err != nil {
		return nil, err
	}
	var held []string
	for _, g := range gs {
		if authz.IsGrantee(c, g) {
			held = append(held, g.Operations...)
		}
	}
	return held, nil
}

func (s *Service) grantFor(c domain.Caller, k *domain.Key, id string, g NewGrant) domain.Grant {
	typ := g.GranteeType
	if typ == "" {
		typ = domain.GranteeUser
	}
	ops := slices.Clone(g.Operations)
	slices.Sort(ops)
	return domain.Grant{
		ID: id, KeyID: k.ID, ProjectID: k.ProjectID, DomainID: k.DomainID, Name: g.Name,
		GranteePrincipal: g.Grantee, GranteeType: typ, RetiringPrincipal: g.RetiringPrincipal,
		IssuingPrincipal: c.UserID, Operations: slices.Compact(ops), CreatedAt: s.now(),
	}
}

func newGrantID() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// ListGrants returns a page of key ref's grants in creation order and the
// total (owner only).
func (s *Service) ListGrants(ctx context.Context, c domain.Caller, ref string, p store.Page) ([]domain.Grant, int, error) {
	ck, err := s.readKey(ctx, c, ref, op.ListGrants)
	if err != nil {
		return nil, 0, err
	}
	gs, total, err := s.store.ListGrants(ctx, ck.key.ID, p)
	if err != nil {
		return nil, 0, kmserr.From(err)
	}
	return gs, total, nil
}

// ListRetirableGrants returns a page of the grants, on any key, that the
// caller may retire: those naming its user or account id as retiring
// principal, and those granted to it that include retire-grant; and the
// total.
func (s *Service) ListRetirableGrants(ctx context.Context, c domain.Caller, p store.Page) ([]domain.Grant, int, error) {
	gs, total, err := s.store.ListRetirableGrants(ctx, []string{c.UserID, c.DomainID}, p)
	if err != nil {
		return nil, 0, kmserr.From(err)
	}
	return gs, total, nil
}

// RevokeGrant deletes grant grantID of key ref (owner only). An unknown
// grant answers KMS.2501, a grant of another key KMS.2502. The key's cache
// entry is dropped, so the grant stops working at once.
func (s *Service) RevokeGrant(ctx context.Context, c domain.Caller, ref, grantID string) error {
	id, err := s.ResolveKeyRef(ctx, c, ref)
	if err != nil {
		return err
	}
	return s.keyTx(ctx, c, id, op.RevokeGrant, false, func(tx store.Tx, k *domain.Key) error {
		if _, err := grantOf(ctx, tx, k.ID, grantID); err != nil {
			return err
		}
		return tx.DeleteGrant(ctx, grantID)
	})
}

// grantOf reads grant grantID and checks it belongs to key keyID.
func grantOf(ctx context.Context, tx Reader, keyID, grantID string) (domain.Grant, error) {
	g, err := tx.GetGrant(ctx, grantID)
	if errors.Is(err, store.ErrNotFound) {
		return g, kmserr.GrantNotFound
	}
	if err != nil {
		return g, err
	}
	if g.KeyID != keyID {
		return g, kmserr.GrantKeyMismatch
	}
	return g, nil
}
