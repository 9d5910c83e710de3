package service

import (
	"context"
	"crypto/rsa"
	"time"

	"github.com/kmsd/kmsd/internal/authz"
	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/keycrypto"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/op"
)

// ImportTokenLifetime is how long import parameters stay valid.
const ImportTokenLifetime = 24 * time.Hour

// ImportParameters is the answer of get-parameters-for-import.
type ImportParameters struct {
	KeyID     string
	Token     []byte    // opaque; base64 on the wire
	Expiry    time.Time // whole seconds, ImportTokenLifetime from now
	PublicKey []byte    // RSA-2048 wrapping key, SPKI DER
}

// GetImportParameters issues a fresh RSA-2048 wrapping key (generated
// under the gate for expensive operations) and import token for an external
// key pending import. alg is RSAES_OAEP_SHA_256 or
// RSAES_OAEP_SHA_1 (checked by the caller). Errors: KMS.0309 not external,
// KMS.0341 HMAC key, KMS.0310 not pending import.
func (s *Service) GetImportParameters(ctx context.Context, c domain.Caller, keyID, alg string) (ImportParameters, error) {
	k, err := s.importTarget(ctx, c, keyID, op.GetParametersForImport)
	if err != nil {
		return ImportParameters{}, err
	}
	if k.State != domain.StatePendingImport {
		return ImportParameters{}, kmserr.NotPendingImport
	}
	var wk *rsa.PrivateKey
	err = s.expensive(ctx, func() (err error) {
		if wk, err = keycrypto.NewWrappingKey(); err != nil {
			return kmserr.Internal.Wrap(err)
		}
		return nil
	})
	if err != nil {
		return ImportParameters{}, err
	}
	t := importToken{KeyID: k.ID, Alg: alg, Expiry: s.now().Add(ImportTokenLifetime).Truncate(time.Second), Wrapping: wk}
	token, err := s.sealImportToken(ctx, t)
	if err != nil {
		return ImportParameters{}, kmserr.Internal.Wrap(err)
	}
	pub, err := keycrypto.PublicKeyDER(domain.SpecRSA2048, mustPKCS8(wk))
	if err != nil {
		return ImportParameters{}, kmserr.Internal.Wrap(err)
	}
	return ImportParameters{KeyID: k.ID, Token: token, Expiry: t.Expiry, PublicKey: pub}, nil
}

// importTarget loads an owned external key for an import action: the
// caller must be allowed action (grantees get KMS.0306, others KMS.0207),
// the key must be external (KMS.0309) and not an HMAC key (KMS.0341).
func (s *Service) importTarget(ctx context.Context, c domain.Caller, keyID string, action op.Name) (*domain.Key, error) {
	ck, err := s.load(ctx, keyID)
	if err != nil {
		return nil, notFound(err)
	}
	if err := s.decide(ctx, c, action, &ck.key, ck.grants, nil); err != nil {
		return nil, err
	}
	k := ck.key
	if k.Origin != domain.OriginExternal {
		return nil, kmserr.NotExternal
	}
	if k.Spec.Class() == domain.ClassHMAC {
		return nil, kmserr.HMACUnsupp.Msgf("HMAC key material cannot be imported.")
	}
	return &k, nil
}

// lockExternal runs fn on the locked current version of an owned external
// key in one transaction, then drops the cache entry. fn persists the key.
func (s *Service) lockExternal(ctx context.Context, c domain.Caller, keyID string, fn func(tx Tx, k *domain.Key) error) error {
	err := s.update(ctx, func(tx Tx) error {
		k, err := tx.GetKeyForUpdate(ctx, keyID)
		if err != nil {
			return notFound(err)
		}
		if !authz.Owns(c, &k) {
			return kmserr.KeyNotFound
		}
		if k.Origin != domain.OriginExternal {
			return kmserr.NotExternal
		}
		return fn(tx, &k)
	})
	s.cache.drop(keyID)
	if err != nil {
		return kmserr.From(err)
	}
	return nil
}

// DeleteImportedMaterial removes a symmetric external key's material: its
// versions are deleted and it returns to pending import (5). Errors:
// KMS.0309 not external, KMS.2702 asymmetric, KMS.2701 not enabled or
// disabled.
func (s *Service) DeleteImportedMaterial(ctx context.Context, c domain.Caller, keyID string) error {
	if _, err := s.importTarget(ctx, c, keyID, op.DeleteImportedKeyMaterial); err != nil {
		return err
	}
	return s.lockExternal(ctx, c, keyID, func(tx Tx, k *domain.Key) error {
		if k.Spec.Asymmetric() {
			return kmserr.AsymmetricMaterial
		}
		if k.State != domain.StateEnabled && k.State != domain.StateDisabled {
			return kmserr.MaterialState.Msgf("The key must be enabled or disabled (state %s).", k.State)
		}
		return s.dropMaterial(ctx, tx, k)
	})
}
