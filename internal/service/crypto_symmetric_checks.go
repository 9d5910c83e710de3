package service

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/keycrypto"
	"github.com/kmsd/kmsd/internal/kmserr"
)

// Data-plane limits (crypto-api.md §2, docs/crypto-behaviour.md).
const (
	MaxDataPlaintext = 4096 // encrypt-data plain_text, bytes
	MaxAAD           = 128  // additional_authenticated_data, bytes
	MinDatakeyBytes  = 1    // data keys: 8 bits
	MaxDatakeyBytes  = 1024 // data keys: 8192 bits
	MaxRandomBytes   = 1024 // gen-random: 8192 bits
)

// errCiphertext is the one answer to every symmetric ciphertext that does
// not open: malformed, tampered, wrong key, wrong kind, wrong AAD, or a key
// version whose material is gone. The cause (never key material) is logged.
var errCiphertext = kmserr.InvalidCiphertext.Msgf(
	"The cipher_text is invalid, was not produced by this key, or the additional authenticated data does not match.")

// badCiphertext returns errCiphertext carrying an internal cause.
func badCiphertext(cause error) error {
	if cause == nil {
		return errCiphertext
	}
	return errCiphertext.Wrap(cause)
}

// IsSymmetricAlgorithm reports whether alg names envelope (symmetric)
// encryption: empty (the default) or SYMMETRIC_DEFAULT.
func IsSymmetricAlgorithm(alg string) bool {
	return alg == "" || alg == keycrypto.AlgSymmetricDefault
}

// encryptAlgorithm checks that key k may encrypt and decrypt data with alg
// and returns the effective algorithm name. HMAC keys answer KMS.0341, EC
// keys KMS.1114, SIGN_VERIFY keys KMS.0335; an algorithm the key cannot use
// KMS.2105 (symmetric key) or KMS.2106 (asymmetric key).
func encryptAlgorithm(k *domain.Key, alg string) (string, error) {
	switch k.Spec.Class() {
	case domain.ClassHMAC:
		return "", kmserr.HMACUnsupp.Msgf("HMAC keys cannot encrypt or decrypt data.")
	case domain.ClassEC:
		return "", kmserr.ECCannotEncrypt
	case domain.ClassSymmetric:
		if IsSymmetricAlgorithm(alg) {
			return keycrypto.AlgSymmetricDefault, nil
		}
		return "", kmserr.SymmetricAlgorithm.Msgf("A %s key only supports encryption_algorithm SYMMETRIC_DEFAULT, not %q.", k.Spec, alg)
	}
	if k.Usage != domain.UsageEncryptDecrypt {
		return "", kmserr.SignVerifyKey.Msgf("The key is a %s key; it cannot encrypt or decrypt.", k.Usage)
	}
	if k.Spec.Class() == domain.ClassRSA && (alg == keycrypto.AlgRSAESOAEPSHA256 || alg == keycrypto.AlgRSAESOAEPSHA1) {
		return alg, nil
	}
	if k.Spec.Class() == domain.ClassSM2 && alg == keycrypto.AlgSM2Encrypt {
		return alg, nil
	}
	want := "RSAES_OAEP_SHA_256 or RSAES_OAEP_SHA_1"
	if k.Spec.Class() == domain.ClassSM2 {
		want = keycrypto.AlgSM2Encrypt
	}
	return "", kmserr.AsymmetricAlgorithm.Msgf("A %s key needs encryption_algorithm %s, not %q.", k.Spec, want, alg)
}

// checkDatakeyKey checks that k can protect data keys: symmetric keys only.
// Asymmetric keys answer KMS.0325, HMAC keys KMS.0341.
func checkDatakeyKey(k *domain.Key) error {
	switch k.Spec.Class() {
	case domain.ClassSymmetric:
		return nil
	case domain.ClassHMAC:
		return kmserr.HMACUnsupp.Msgf("HMAC keys cannot protect data keys.")
	}
	return kmserr.AsymmetricUnsupp.Msgf("Data keys need a symmetric key (AES_256 or SM4), not %s.", k.Spec)
}

// checkSymmetricData is the key check of symmetric decrypt-data.
func checkSymmetricData(k *domain.Key) error {
	_, err := encryptAlgorithm(k, keycrypto.AlgSymmetricDefault)
	return err
}

// sealPrimary seals plaintext of the given kind under the key's primary
// version. Every seal counts against the version's limit (KMS.2109 past
// it); the seal that reserves past SealLimits.RotateAt first rotates the
// key, if kmsd may (docs/ciphertext.md §3.1).
func (s *Service) sealPrimary(ctx context.Context, uk *UsableKey, kind keycrypto.Kind, plaintext, aad []byte) ([]byte, error) {
	v, m := uk.Primary()
	if m == nil {
		return nil, kmserr.Internal.Wrap(fmt.Errorf("service: key %s has no material for primary version %d", uk.Key.ID, v))
	}
	rotate, err := s.seals.take(ctx, uk.Key.ID, v)
	if err != nil {
		return nil, err
	}
	if rotate {
		s.rotateForSeals(ctx, uk.Key.ID, v)
	}
	ct, err := keycrypto.Seal(kind, uk.Key.Spec, uk.Key.ID, uint32(v), m, plaintext, aad)
	if err != nil {
		return nil, kmserr.Internal.Wrap(err)
	}
	return ct, nil
}

// randomBytes returns n bytes from crypto/rand.
func randomBytes(n int) ([]byte, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return nil, kmserr.Internal.Wrap(fmt.Errorf("service: random: %w", err))
	}
	return b, nil
}

// asymError maps keycrypto errors of EncryptAsym to API errors.
func asymError(err error) error {
	switch {
	case errors.Is(err, keycrypto.ErrPlaintextTooLong):
		return kmserr.PlaintextTooLong.Msgf("plain_text is too long for this key (%s).",
			strings.TrimPrefix(err.Error(), keycrypto.ErrPlaintextTooLong.Error()+": "))
	case errors.Is(err, keycrypto.ErrPlaintextEmpty):
		return kmserr.MissingParameter.Msgf("plain_text is required.")
	case errors.Is(err, keycrypto.ErrAlgorithm):
		return kmserr.AsymmetricAlgorithm
	}
	return kmserr.Internal.Wrap(err)
}
