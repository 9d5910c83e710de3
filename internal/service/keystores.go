package service

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/store"
)

// Keystores. kmsd has no dedicated HSM clusters: a keystore is a named,
// logical group of keys of one project, of type DEFAULT, whose material is
// protected by kmsd's root key like every other key. Every write holds the
// project lock, which also orders keystore deletion against key creation.

// Keystore states (the keystore_state values of enable/disable).
const (
	KeystoreEnabled  = "2"
	KeystoreDisabled = "3"
)

// Keystore is a logical keystore.
type Keystore = store.Keystore

// CreateKeystore creates a disabled DEFAULT keystore in c's project. The
// alias is unique among the account's keystores (KMS.1104).
func (s *Service) CreateKeystore(ctx context.Context, c domain.Caller, alias string) (Keystore, error) {
	ks := Keystore{ID: uuid.NewString(), DomainID: c.DomainID, ProjectID: c.ProjectID,
		Alias: alias, State: KeystoreDisabled, CreatedAt: s.now()}
	err := s.update(ctx, func(tx Tx) error {
		if err := tx.LockProject(ctx, c.ProjectID); err != nil {
			return err
		}
		err := tx.CreateKeystore(ctx, ks)
		if errors.Is(err, store.ErrExists) {
			return kmserr.AliasExists.Msgf("The keystore_alias %q already exists in the account.", alias)
		}
		return err
	})
	return ks, kmserrOrNil(err)
}

// Keystore returns keystore id of c's project (KMS.8003 if unknown).
func (s *Service) Keystore(ctx context.Context, c domain.Caller, id string) (Keystore, error) {
	ks, err := getKeystore(ctx, s.store, c.ProjectID, id)
	return ks, kmserrOrNil(err)
}

// ListKeystores returns a window of c's project's keystores in creation
// order (limit 0 = all), and their total.
func (s *Service) ListKeystores(ctx context.Context, c domain.Caller, offset, limit int) ([]Keystore, int, error) {
	out, total, err := s.store.ListKeystores(ctx, c.ProjectID, store.Page{Offset: offset, Limit: limit})
	if err != nil {
		return nil, 0, kmserr.From(err)
	}
	if out == nil {
		out = []Keystore{}
	}
	return out, total, nil
}

// SetKeystoreState enables or disables a keystore; setting the current
// state again succeeds.
func (s *Service) SetKeystoreState(ctx context.Context, c domain.Caller, id, state string) (Keystore, error) {
	var ks Keystore
	err := s.update(ctx, func(tx Tx) error {
		if err := tx.LockProject(ctx, c.ProjectID); err != nil {
			return err
		}
		var err error
		if ks, err = getKeystore(ctx, tx, c.ProjectID, id); err != nil {
			return err
		}
		ks.State = state
		return tx.UpdateKeystore(ctx, ks)
	})
	return ks, kmserrOrNil(err)
}

// DeleteKeystore removes a keystore that holds no key in any state
// (KMS.0308 otherwise), and frees its alias.
func (s *Service) DeleteKeystore(ctx context.Context, c domain.Caller, id string) error {
	err := s.update(ctx, func(tx Tx) error {
		if err := tx.LockProject(ctx, c.ProjectID); err != nil {
			return err
		}
		ks, err := getKeystore(ctx, tx, c.ProjectID, id)
		if err != nil {
			return err
		}
		if err := checkKeystoreEmpty(ctx, tx, ks); err != nil {
			return err
		}
		return tx.DeleteKeystore(ctx, ks.ProjectID, ks.ID)
	})
	return kmserrOrNil(err)
}

func checkKeystoreEmpty(ctx context.Context, tx Tx, ks Keystore) error {
	keys, _, err := tx.ListKeys(ctx, store.KeyFilter{ProjectID: ks.ProjectID})
	if err != nil {
		return err
	}
	n := 0
	for _, k := range keys {
		if k.KeystoreID == ks.ID {
			n++
		}
	}
	if n > 0 {
		return kmserr.InvalidParameter.Msgf("The keystore still holds %d key(s) (in any state, including pending deletion); delete them first.", n)
	}
	return nil
}

// checkKeystoreUsable is create-key's keystore rule, run under the project
// lock: "0" is the default keystore; "1" and "2" (CDMS shared clusters) are
// not supported (KMS.0340); any other id must be an enabled keystore of the
// key's project (KMS.8003 unknown, KMS.0308 disabled) and the key must be
// kms-origin (KMS.0339).
func checkKeystoreUsable(ctx context.Context, tx Tx, k *domain.Key) error {
	switch k.KeystoreID {
	case "0":
		return nil
	case "1", "2":
		return kmserr.KeystoreUnsupported.Msgf("keystore_id %q (a shared CDMS cluster) is not supported by kmsd.", k.KeystoreID)
	}
	ks, err := getKeystore(ctx, tx, k.ProjectID, k.KeystoreID)
	if err != nil {
		return err
	}
	if ks.State != KeystoreEnabled {
		return kmserr.InvalidParameter.Msgf("The keystore %s is disabled: enable it before creating keys in it.", ks.ID)
	}
	if k.Origin != domain.OriginKMS {
		return kmserr.ExternalKeystore
	}
	return nil
}

// getKeystore reads keystore id of a project; KMS.8003 if it has none (or
// id is malformed).
func getKeystore(ctx context.Context, r store.KeystoreReader, project, id string) (Keystore, error) {
	if !domain.ValidKeyID(id) {
		return Keystore{}, kmserr.KeystoreNotFound.Msgf("The keystore %q does not exist.", id)
	}
	ks, err := r.GetKeystore(ctx, project, id)
	if errors.Is(err, store.ErrNotFound) {
		return ks, kmserr.KeystoreNotFound.Msgf("The keystore %s does not exist in this project.", id)
	}
	return ks, err
}
