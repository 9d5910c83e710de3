package service

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/op"
	"github.com/kmsd/kmsd/internal/store"
)

// Alias rules (management-api.md §4; docs/key-management.md).
const (
	AliasPrefix    = "alias/"
	MaxAliasPage   = 100 // list-aliases limit: 1-100, default 100
	maxAliasLength = domain.MaxAliasChars
)

var multiAliasRe = regexp.MustCompile(`^alias/[a-zA-Z0-9:/_-]+$`)

// CheckAliasName validates a multi-alias name: "alias/" followed by at
// least one of [a-zA-Z0-9:/_-], at most 255 characters in all, not ending in
// "/default" (reserved for service default keys). Empty answers KMS.0204,
// anything else invalid KMS.1101.
func CheckAliasName(name string) error {
	switch {
	case name == "":
		return kmserr.MissingParameter.Msgf("alias is required.")
	case len(name) > maxAliasLength || !multiAliasRe.MatchString(name):
		return kmserr.InvalidAlias.Msgf("alias must match ^alias/[a-zA-Z0-9:/_-]+$ and be at most %d characters.", maxAliasLength)
	case domain.IsDefaultAlias(name):
		return kmserr.InvalidAlias.Msgf("alias must not end with %q: that suffix is reserved for default keys.", domain.DefaultSuffix)
	}
	return nil
}

// AliasURN is an alias's URN: kms:<region>:<domain id>:alias:<name without "alias/">.
func AliasURN(region string, a domain.Alias) string {
	return "kms:" + region + ":" + a.DomainID + ":alias:" + strings.TrimPrefix(a.Name, AliasPrefix)
}

// CreateAlias points a new alias at key ref, which the caller's project must
// own (strangers KMS.0207, grantees KMS.0306). Default keys KMS.0211, keys
// pending deletion KMS.0210, a name taken in the project KMS.1104, a key
// with Limits.AliasesPerKey aliases KMS.1106. Checks and insert run under
// the project lock, so concurrent creations of one name yield exactly one.
func (s *Service) CreateAlias(ctx context.Context, c domain.Caller, ref, name string) (domain.Alias, error) {
	if err := CheckAliasName(name); err != nil {
		return domain.Alias{}, err
	}
	id, err := s.ResolveKeyRef(ctx, c, ref)
	if err != nil {
		return domain.Alias{}, err
	}
	now := s.now()
	a := domain.Alias{ProjectID: c.ProjectID, DomainID: c.DomainID, Name: name, KeyID: id, CreatedAt: now, UpdatedAt: now}
	err = s.keyTx(ctx, c, id, op.CreateAlias, true, func(tx store.Tx, k *domain.Key) error {
		if err := s.checkAliasTarget(ctx, tx, k); err != nil {
			return err
		}
		if err := tx.CreateAlias(ctx, a); err != nil {
			if errors.Is(err, store.ErrExists) {
				return kmserr.AliasExists.Msgf("The alias %q already exists in the project.", name)
			}
			return err
		}
		return nil
	})
	return a, err
}

// checkAliasTarget checks that k may receive one more alias.
func (s *Service) checkAliasTarget(ctx context.Context, tx Tx, k *domain.Key) error {
	if err := checkMutable(k); err != nil {
		return err
	}
	n, err := tx.CountAliases(ctx, k.ID)
	if err != nil {
		return err
	}
	if n >= s.limits.AliasesPerKey {
		return kmserr.AliasQuota.Msgf("The key already has %d aliases (the maximum).", n)
	}
	return nil
}

// DeleteAliases removes aliases of key ref, all or nothing: an alias that
// does not exist or points at another key answers 404 KMS.0207 and nothing
// is deleted. Repeated names count once.
func (s *Service) DeleteAliases(ctx context.Context, c domain.Caller, ref string, names []string) error {
	id, err := s.ResolveKeyRef(ctx, c, ref)
	if err != nil {
		return err
	}
	return s.keyTx(ctx, c, id, op.DeleteAlias, true, func(tx store.Tx, k *domain.Key) error {
		seen := map[string]bool{}
		for _, n := range names {
			if seen[n] {
				continue
			}
			seen[n] = true
			a, err := tx.GetAlias(ctx, k.ProjectID, n)
			if errors.Is(err, store.ErrNotFound) || (err == nil && a.KeyID != k.ID) {
				return kmserr.KeyNotFound.Msgf("The alias %q is not associated with key %s.", n, k.ID)
			}
			if err != nil {
				return err
			}
			if err := tx.DeleteAlias(ctx, k.ProjectID, n); err != nil {
				return err
			}
		}
		return nil
	})
}

// ListAliases returns up to limit aliases of the caller's project ordered
// by name, starting after marker (a name; "" = first page), and the marker
// of the next page ("" on the last). keyRef, when not empty, restricts the
// list to one owned key.
func (s *Service) ListAliases(ctx context.Context, c domain.Caller, keyRef string, limit int, marker string) ([]domain.Alias, string, error) {
	keyID := ""
	if keyRef != "" {
		ck, err := s.readKey(ctx, c, keyRef, op.ListAliases)
		if err != nil {
			return nil, "", err
		}
		keyID = ck.key.ID
	}
	as, err := s.store.ListAliases(ctx, c.ProjectID, keyID, marker, limit+1)
	if err != nil {
		return nil, "", kmserr.From(err)
	}
	next := ""
	if len(as) > limit {
		as = as[:limit]
		next = as[limit-1].Name
	}
	return as, next, nil
}

// AssociateAlias moves alias name to key targetRef of the caller's project
// and refreshes its update time. An unknown alias answers 404 KMS.0207; the
// target must pass the checks of CreateAlias (its alias limit counts the
// moved alias unless it already points there).
func (s *Service) AssociateAlias(ctx context.Context, c domain.Caller, name, targetRef string) (domain.Alias, error) {
	if err := CheckAliasName(name); err != nil {
		return domain.Alias{}, err
	}
	id, err := s.ResolveKeyRef(ctx, c, targetRef)
	if err != nil {
		return domain.Alias{}, err
	}
	var out domain.Alias
	err = s.keyTx(ctx, c, id, op.AssociateAlias, true, func(tx store.Tx, k *domain.Key) error {
		a, err := tx.GetAlias(ctx, c.ProjectID, name)
		if errors.Is(err, store.ErrNotFound) {
			return kmserr.KeyNotFound.Msgf("The alias %q does not exist.", name)
		}
		if err != nil {
			return err
		}
		if a.KeyID != k.ID {
			if err := s.checkAliasTarget(ctx, tx, k); err != nil {
				return err
			}
		}
		old := a.KeyID
		a.KeyID, a.UpdatedAt = k.ID, s.now()
		if err := tx.UpdateAlias(ctx, a); err != nil {
			return err
		}
		s.cache.drop(old)
		out = a
		return nil
	})
	return out, err
}
