package service

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/store"
)

// NewKey describes a key to create.
type NewKey struct {
	ID                  string // optional fixed id (seeding); default a random UUID
	Alias               string
	Spec                domain.KeySpec // default AES_256
	Usage               domain.KeyUsage
	Description         string
	Origin              domain.Origin // default kms
	EnterpriseProjectID string        // default "0"
	KeystoreID          string        // default "0"
	Default             bool          // a service default key (seeding only)
	Material            []byte        // fixed material (seeding only); default generated
}

// normalize applies defaults and checks every field of n.
func (n *NewKey) normalize() error {
	if n.Spec == "" {
		n.Spec = domain.SpecAES256
	}
	if n.Origin == "" {
		n.Origin = domain.OriginKMS
	}
	if n.EnterpriseProjectID == "" {
		n.EnterpriseProjectID = "0"
	}
	if n.KeystoreID == "" {
		n.KeystoreID = "0"
	}
	if err := checkNewAlias(n.Alias, n.Default); err != nil {
		return err
	}
	if err := domain.CheckDescription(n.Description); err != nil {
		return err
	}
	if !n.Spec.Valid() {
		return kmserr.InvalidKeySpec.Msgf("Unsupported key_spec %q.", n.Spec)
	}
	if n.Origin != domain.OriginKMS && n.Origin != domain.OriginExternal {
		return kmserr.InvalidParameter.Msgf("origin must be kms or external.")
	}
	return n.checkUsage()
}

func checkNewAlias(alias string, isDefault bool) error {
	if !isDefault {
		return domain.CheckKeyAlias(alias)
	}
	if !domain.IsDefaultAlias(alias) {
		return kmserr.InvalidAlias.Msgf("a default key's alias must end with %q.", domain.DefaultSuffix)
	}
	return domain.CheckKeyAlias(alias[:len(alias)-len(domain.DefaultSuffix)])
}

func (n *NewKey) checkUsage() error {
	if n.Usage == "" {
		n.Usage = n.Spec.DefaultUsage()
	}
	switch n.Usage {
	case domain.UsageEncryptDecrypt, domain.UsageSignVerify, domain.UsageMAC:
	default:
		return kmserr.InvalidParameter.Msgf("Unsupported key_usage %q.", n.Usage)
	}
	if n.Spec.AllowsUsage(n.Usage) {
		return checkImportable(n)
	}
	switch c := n.Spec.Class(); {
	case c == domain.ClassEC && n.Usage == domain.UsageEncryptDecrypt:
		return kmserr.ECCannotEncrypt
	case c == domain.ClassSymmetric && n.Usage == domain.UsageSignVerify:
		return kmserr.SymmetricCannotSign
	}
	return kmserr.InvalidParameter.Msgf("key_usage %s is not allowed for key_spec %s.", n.Usage, n.Spec)
}

// CreateKey creates a key in the caller's project. kms-origin keys get
// generated material and start enabled; external keys start pending import.
// The CMK quota counts every non-default key of the project (KMS.1105), and
// key_alias is unique in the project (KMS.1104).
func (s *Service) CreateKey(ctx context.Context, c domain.Caller, n NewKey) (domain.Key, error) {
	if err := n.normalize(); err != nil {
		return domain.Key{}, err
	}
	k := s.keyFromNew(c, &n)
	var version *domain.KeyVersion
	if k.Origin == domain.OriginKMS {
		v, err := s.firstVersion(ctx, &k, n.Material)
		if err != nil {
			return domain.Key{}, err
		}
		version = &v
	}
	err := s.update(ctx, func(tx Tx) error {
		return s.insertKey(ctx, tx, &k, version)
	})
	if err != nil {
		return domain.Key{}, kmserr.From(err)
	}
	return k, nil
}

// CreateKeys creates keys in the caller's project in one store transaction,
// with CreateKey's defaults, checks and quota; nothing is created if one of
// them fails. It is for bulk loading (kmsbench prefill): material is
// generated before the transaction, so that the transaction only writes.
func (s *Service) CreateKeys(ctx context.Context, c domain.Caller, ns []NewKey) ([]domain.Key, error) {
	keys := make([]domain.Key, len(ns))
	versions := make([]*domain.KeyVersion, len(ns))
	for i := range ns {
		if err := ns[i].normalize(); err != nil {
			return nil, err
		}
		keys[i] = s.keyFromNew(c, &ns[i])
		if keys[i].Origin == domain.OriginKMS {
			v, err := s.firstVersion(ctx, &keys[i], ns[i].Material)
			if err != nil {
				return nil, err
			}
			versions[i] = &v
		}
	}
	err := s.update(ctx, func(tx Tx) error {
		for i := range keys {
			if err := s.insertKey(ctx, tx, &keys[i], versions[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, kmserr.From(err)
	}
	return keys, nil
}

func (s *Service) keyFromNew(c domain.Caller, n *NewKey) domain.Key {
	id := n.ID
	if id == "" {
		id = uuid.NewString()
	}
	k := domain.Key{
		ID: id, DomainID: c.DomainID, ProjectID: c.ProjectID, Alias: n.Alias,
		Description: n.Description, Spec: n.Spec, Usage: n.Usage, Origin: n.Origin,
		State: domain.StateEnabled, Default: n.Default, CreatedAt: s.now(),
		RotationInterval: defaultRotationDays, EnterpriseProjectID: n.EnterpriseProjectID,
		KeystoreID: n.KeystoreID, Revision: 1,
	}
	if k.Origin == domain.OriginExternal {
		k.State = domain.StatePendingImport
	} else {
		k.PrimaryVersion = 1
	}
	return k
}

// defaultRotationDays is the rotation interval of a key whose interval was
// never set.
const defaultRotationDays = 365

func (s *Service) firstVersion(ctx context.Context, k *domain.Key, material []byte) (domain.KeyVersion, error) {
	if material == nil {
		return s.generateVersion(ctx, k, 1)
	}
	return s.newVersion(ctx, k, 1, material)
}

func (s *Service) insertKey(ctx context.Context, tx Tx, k *domain.Key, v *domain.KeyVersion) error {
	if err := tx.LockProject(ctx, k.ProjectID); err != nil {
		return err
	}
	if err := checkKeystoreUsable(ctx, tx, k); err != nil {
		return err
	}
	if !k.Default {
		n, err := tx.CountKeys(ctx, k.ProjectID)
		if err != nil {
			return err
		}
		if n >= s.limits.KeysPerProject {
			return kmserr.KeyQuota.Msgf("The key quota (%d) of the project has been reached.", s.limits.KeysPerProject)
		}
	}
	if err := tx.CreateKey(ctx, *k); err != nil {
		if errors.Is(err, store.ErrExists) {
			return kmserr.AliasExists.Msgf("The alias %q (or key id) already exists.", k.Alias)
		}
		return err
	}
	if v == nil {
		return nil
	}
	return tx.CreateVersion(ctx, *v)
}

// checkImportable refuses external origin for HMAC specs, whose material
// cannot be imported (KMS.0308).
func checkImportable(n *NewKey) error {
	if n.Origin == domain.OriginExternal && n.Spec.Class() == domain.ClassHMAC {
		return kmserr.InvalidParameter.Msgf("origin external is not allowed for %s: HMAC key material cannot be imported.", n.Spec)
	}
	return nil
}
