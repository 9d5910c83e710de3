package service

import (
	"context"
	"errors"
	"strings"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/op"
	"github.com/kmsd/kmsd/internal/store"
)

var storePageAll = store.Page{}

// notFound converts store.ErrNotFound to KMS.0207 and anything else to an
// internal error.
func notFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return kmserr.KeyNotFound
	}
	return kmserr.From(err)
}

// ResolveKeyRef turns a key reference into a key id. A reference is a key
// id, an alias name ("alias/x", looked up in the caller's project: first
// among the aliases, then among the keys' own key_alias names, which may
// also be spelled "alias/x"), or an alias URN
// ("kms:<region>:<domain>:alias:<name>"). Unknown aliases answer KMS.0207;
// anything else malformed KMS.0205.
func (s *Service) ResolveKeyRef(ctx context.Context, c domain.Caller, ref string) (string, error) {
	if ref == "" {
		return "", kmserr.MissingParameter.Msgf("key_id is required.")
	}
	if domain.ValidKeyID(ref) {
		return ref, nil
	}
	name, ok := aliasFromRef(c, ref)
	if !ok {
		return "", domain.CheckKeyID(ref)
	}
	a, err := s.store.GetAlias(ctx, c.ProjectID, name)
	if err == nil {
		return a.KeyID, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return "", kmserr.From(err)
	}
	k, err := s.store.GetKeyByAlias(ctx, c.ProjectID, name)
	if err != nil {
		return "", notFound(err)
	}
	return k.ID, nil
}

// aliasFromRef extracts an alias name from "alias/x" or an alias URN of the
// caller's region and account.
func aliasFromRef(c domain.Caller, ref string) (string, bool) {
	if strings.HasPrefix(ref, "alias/") {
		return ref, true
	}
	parts := strings.SplitN(ref, ":", 5)
	if len(parts) == 5 && parts[0] == "kms" && parts[3] == "alias" &&
		parts[1] == c.Region && parts[2] == c.DomainID {
		return "alias/" + parts[4], true
	}
	return "", false
}

// mutateKey runs fn on the locked, current version of key id inside one
// store transaction (see [Service.keyTx]; action is one no grant lists, so
// only the owner gets through) and persists the result.
func (s *Service) mutateKey(ctx context.Context, c domain.Caller, id string, action op.Name, fn func(k *domain.Key) error) (domain.Key, error) {
	var out domain.Key
	err := s.keyTx(ctx, c, id, action, false, func(tx store.Tx, k *domain.Key) error {
		if err := fn(k); err != nil {
			return err
		}
		if err := updateKey(ctx, tx, k); err != nil {
			return err
		}
		out = *k
		return nil
	})
	return out, err
}

func mapUpdateErr(err error) error {
	switch {
	case errors.Is(err, store.ErrExists):
		return kmserr.AliasExists
	case errors.Is(err, store.ErrNotFound):
		return kmserr.KeyNotFound
	}
	return err
}

// checkMutable refuses changes to default keys (KMS.0211) and keys pending
// deletion (KMS.0210): the two rules of the UpdateKeyDescription page, which
// every management operation shares.
func checkMutable(k *domain.Key) error {
	if k.Default {
		return kmserr.DefaultKey
	}
	if k.State == domain.StatePendingDeletion {
		return kmserr.KeyPendingDelete
	}
	return nil
}
