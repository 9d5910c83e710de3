package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/store"
)

// Keystores. kmsd has no dedicated HSM clusters: a keystore is a named,
// logical group of keys of one project, of type DEFAULT, whose material is
// protected by kmsd's root key like every other key. The store contract has
// no keystore table, so a keystore is the JSON setting
// "keystore:<project>:<id>", the project's ids are the index setting
// "keystores:<project>" and aliases are reserved account-wide by
// "keystore-alias:<domain>:<alias>"; all three change in one transaction
// under the project lock.

// Keystore states (the keystore_state values of enable/disable).
const (
	KeystoreEnabled  = "2"
	KeystoreDisabled = "3"
)

// Keystore is a logical keystore.
type Keystore struct {
	ID        string    `json:"id"`
	DomainID  string    `json:"domain_id"`
	ProjectID string    `json:"project_id"`
	Alias     string    `json:"alias"`
	State     string    `json:"state"`
	CreatedAt time.Time `json:"created_at"`
}

func keystoreSetting(project, id string) string { return "keystore:" + project + ":" + id }
func keystoreIndex(project string) string       { return "keystores:" + project }
func keystoreAliasSetting(domainID, alias string) string {
	return "keystore-alias:" + domainID + ":" + alias
}

// CreateKeystore creates a disabled DEFAULT keystore in c's project. The
// alias is unique among the account's keystores (KMS.1104).
func (s *Service) CreateKeystore(ctx context.Context, c domain.Caller, alias string) (Keystore, error) {
	ks := Keystore{ID: uuid.NewString(), DomainID: c.DomainID, ProjectID: c.ProjectID,
		Alias: alias, State: KeystoreDisabled, CreatedAt: s.now()}
	err := s.update(ctx, func(tx Tx) error {
		if err := tx.LockProject(ctx, c.ProjectID); err != nil {
			return err
		}
		err := tx.PutSetting(ctx, keystoreAliasSetting(c.DomainID, alias), []byte(ks.ID), true)
		if errors.Is(err, store.ErrExists) {
			return kmserr.AliasExists.Msgf("The keystore_alias %q already exists in the account.", alias)
		}
		if err != nil {
			return err
		}
		ids, err := keystoreIDs(ctx, tx, c.ProjectID)
		if err != nil {
			return err
		}
		if err := putKeystore(ctx, tx, ks); err != nil {
			return err
		}
		return putJSON(ctx, tx, keystoreIndex(c.ProjectID), append(ids, ks.ID))
	})
	return ks, kmserrOrNil(err)
}

// Keystore returns keystore id of c's project (KMS.8003 if unknown).
func (s *Service) Keystore(ctx context.Context, c domain.Caller, id string) (Keystore, error) {
	ks, err := getKeystore(ctx, s.store, c.ProjectID, id)
	return ks, kmserrOrNil(err)
}

// ListKeystores returns a window of c's project's keystores in creation
// order, and their total.
func (s *Service) ListKeystores(ctx context.Context, c domain.Caller, offset, limit int) ([]Keystore, int, error) {
	ids, err := keystoreIDs(ctx, s.store, c.ProjectID)
	if err != nil {
		return nil, 0, kmserr.From(err)
	}
	out := []Keystore{}
	for _, id := range window(ids, offset, limit) {
		ks, err := getKeystore(ctx, s.store, c.ProjectID, id)
		if err != nil {
			return nil, 0, kmserr.From(err)
		}
		out = append(out, ks)
	}
	return out, len(ids), nil
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
		return putKeystore(ctx, tx, ks)
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
		ids, err := keystoreIDs(ctx, tx, c.ProjectID)
		if err != nil {
			return err
		}
		ids = slices.DeleteFunc(ids, func(x string) bool { return x == id })
		if err := putJSON(ctx, tx, keystoreIndex(c.ProjectID), ids); err != nil {
			return err
		}
		if err := tx.DeleteSetting(ctx, keystoreAliasSetting(ks.DomainID, ks.Alias)); err != nil {
			return err
		}
		return tx.DeleteSetting(ctx, keystoreSetting(c.ProjectID, id))
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

func getKeystore(ctx context.Context, r Reader, project, id string) (Keystore, error) {
	var ks Keystore
	if !domain.ValidKeyID(id) {
		return ks, kmserr.KeystoreNotFound.Msgf("The keystore %q does not exist.", id)
	}
	b, err := r.GetSetting(ctx, keystoreSetting(project, id))
	if errors.Is(err, store.ErrNotFound) {
		return ks, kmserr.KeystoreNotFound.Msgf("The keystore %s does not exist in this project.", id)
	}
	if err != nil {
		return ks, err
	}
	if err := json.Unmarshal(b, &ks); err != nil {
		return ks, fmt.Errorf("service: keystore %s: %w", id, err)
	}
	return ks, nil
}

func putKeystore(ctx context.Context, tx Tx, ks Keystore) error {
	return putJSON(ctx, tx, keystoreSetting(ks.ProjectID, ks.ID), ks)
}

func keystoreIDs(ctx context.Context, r Reader, project string) ([]string, error) {
	var ids []string
	return ids, getJSON(ctx, r, keystoreIndex(project), &ids)
}
