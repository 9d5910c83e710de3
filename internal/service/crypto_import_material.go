package service

import (
	"bytes"
	"context"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/keycrypto"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/op"
	"github.com/kmsd/kmsd/internal/store"
)

// MaterialImport is an import-key-material request, already decoded.
type MaterialImport struct {
	KeyID               string
	Token               []byte
	EncryptedMaterial   []byte
	EncryptedPrivateKey []byte    // asymmetric keys only
	Expiry              time.Time // zero: the material never expires (symmetric keys only)
}

// ImportKeyMaterial unwraps material with the token's wrapping key and makes
// it version 1 of a pending-import external key, which becomes enabled with
// Expiry as its material expiry. Checks, in order: KMS.0309/0341 key kind,
// KMS.0310 state, token KMS.2605 invalid / KMS.2603 other key / KMS.2601
// expired, KMS.2602 expiry not in the future, KMS.0308 expiry or
// encrypted_privatekey given for the wrong kind of key, KMS.2608 private key
// missing, then the material (importErr), then KMS.2606 when material was
// imported before and this is different material.
func (s *Service) ImportKeyMaterial(ctx context.Context, c domain.Caller, r MaterialImport) error {
	k, err := s.importTarget(ctx, c, r.KeyID, op.ImportKeyMaterial)
	if err != nil {
		return err
	}
	if k.State != domain.StatePendingImport {
		return kmserr.NotPendingImport
	}
	t, err := s.checkImportToken(ctx, k.ID, r.Token)
	if err != nil {
		return err
	}
	if err := s.checkImportShape(k, r); err != nil {
		return err
	}
	material, err := keycrypto.UnwrapImport(t.Wrapping, t.Alg, k.Spec, r.EncryptedMaterial, r.EncryptedPrivateKey)
	if err != nil {
		return importErr(err)
	}
	defer clear(material)
	fp, err := s.materialFingerprint(ctx, k.ID, material)
	if err != nil {
		return kmserr.Internal.Wrap(err)
	}
	return s.lockExternal(ctx, c, k.ID, func(tx Tx, k *domain.Key) error {
		return s.installImported(ctx, tx, k, material, fp, r.Expiry)
	})
}

// checkImportToken opens the token and checks it names keyID and has not
// expired at the service clock.
func (s *Service) checkImportToken(ctx context.Context, keyID string, raw []byte) (importToken, error) {
	t, err := s.openImportToken(ctx, raw)
	if err != nil {
		return t, err
	}
	if t.KeyID != keyID {
		return t, kmserr.ImportTokenKey
	}
	if !s.now().Before(t.Expiry) {
		return t, kmserr.ImportTokenExpired
	}
	return t, nil
}

// checkImportShape checks the optional fields against the key kind.
func (s *Service) checkImportShape(k *domain.Key, r MaterialImport) error {
	asym := k.Spec.Asymmetric()
	switch {
	case !r.Expiry.IsZero() && !r.Expiry.After(s.now()):
		return kmserr.ImportExpiry
	case !r.Expiry.IsZero() && asym:
		return kmserr.InvalidParameter.Msgf("expiration_time is only allowed for symmetric keys: imported asymmetric material cannot expire.")
	case len(r.EncryptedPrivateKey) > 0 && !asym:
		return kmserr.InvalidParameter.Msgf("encrypted_privatekey is only for asymmetric keys.")
	case len(r.EncryptedPrivateKey) == 0 && asym:
		return kmserr.ImportPrivateKey
	}
	return nil
}

// installImported re-checks the locked key, enforces same-material re-import
// and stores material as version 1.
func (s *Service) installImported(ctx context.Context, tx Tx, k *domain.Key, material, fp []byte, expiry time.Time) error {
	if k.State != domain.StatePendingImport {
		return kmserr.NotPendingImport
	}
	name := importFingerprintSetting(k.ID)
	prev, err := tx.GetSetting(ctx, name)
	switch {
	case errors.Is(err, store.ErrNotFound):
		err = tx.PutSetting(ctx, name, fp, true)
	case err == nil && !bytes.Equal(prev, fp):
		return kmserr.ImportDifferent
	}
	if err != nil {
		return err
	}
	v, err := s.newVersion(ctx, k, 1, material)
	if err != nil {
		return err
	}
	if err := tx.CreateVersion(ctx, v); err != nil {
		return err
	}
	k.PrimaryVersion, k.State, k.MaterialExpiry = 1, domain.StateEnabled, expiry
	return tx.UpdateKey(ctx, *k)
}

// importFingerprintSetting names the setting that remembers which material
// a key was first given (for KMS.2606). Key ids are never reused.
func importFingerprintSetting(keyID string) string { return "import-fingerprint:" + keyID }

// importErr maps keycrypto.UnwrapImport errors to API errors.
func importErr(err error) error {
	switch {
	case errors.Is(err, keycrypto.ErrCiphertext):
		return kmserr.RSADecryptFailed.Msgf("encrypted_key_material does not decrypt with the wrapping key of the import token.")
	case errors.Is(err, keycrypto.ErrMaterialLength):
		return kmserr.ImportMaterialLen.Msgf("Invalid key material length: AES_256 needs 32 bytes, SM4 16.")
	case errors.Is(err, keycrypto.ErrTempKeyLength):
		return kmserr.ImportTempKeyLen
	case errors.Is(err, keycrypto.ErrPrivateKey):
		return kmserr.ImportPrivateKeyBad.Msgf("The private key does not unwrap, is not PKCS#8, or does not match the key spec.")
	case errors.Is(err, keycrypto.ErrUnsupported):
		return kmserr.HMACUnsupp.Msgf("HMAC key material cannot be imported.")
	case errors.Is(err, keycrypto.ErrAlgorithm):
		return kmserr.ImportTokenInvalid
	}
	return kmserr.Internal.Wrap(err)
}

// mustPKCS8 encodes an RSA key this process just generated.
func mustPKCS8(k *rsa.PrivateKey) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		panic("service: marshal wrapping key: " + err.Error())
	}
	return der
}
