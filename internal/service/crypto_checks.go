package service

import (
	"errors"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/keycrypto"
	"github.com/kmsd/kmsd/internal/kmserr"
)

// Key-kind checks of the asymmetric, MAC and key-pair actions
// (docs/crypto-asymmetric.md §3). Each returns nil or the API error for a key
// that cannot do the operation.

// requireSignKey admits asymmetric SIGN_VERIFY keys: symmetric keys answer
// KMS.1115, HMAC keys KMS.0341, ENCRYPT_DECRYPT keys KMS.0334.
func requireSignKey(k *domain.Key) error {
	switch k.Spec.Class() {
	case domain.ClassSymmetric:
		return kmserr.SymmetricCannotSign
	case domain.ClassHMAC:
		return kmserr.HMACUnsupp
	}
	if k.Usage != domain.UsageSignVerify {
		return kmserr.EncryptDecryptKey
	}
	return nil
}

// requireAsymmetric admits every key with a public key: symmetric keys
// answer KMS.0331, HMAC keys KMS.0341.
func requireAsymmetric(k *domain.Key) error {
	switch {
	case k.Spec.Class() == domain.ClassHMAC:
		return kmserr.HMACUnsupp
	case !k.Spec.Asymmetric():
		return kmserr.SymmetricUnsupp
	}
	return nil
}

// requireMACKey admits HMAC keys: symmetric keys answer KMS.0331,
// asymmetric keys KMS.0325.
func requireMACKey(k *domain.Key) error {
	switch {
	case k.Spec.Class() == domain.ClassHMAC:
		return nil
	case k.Spec.Asymmetric():
		return kmserr.AsymmetricUnsupp
	}
	return kmserr.SymmetricUnsupp
}

// requireSymmetricKey admits AES_256/SM4 (always ENCRYPT_DECRYPT) keys:
// asymmetric keys answer KMS.0325, HMAC keys KMS.0341.
func requireSymmetricKey(k *domain.Key) error {
	switch k.Spec.Class() {
	case domain.ClassSymmetric:
		return nil
	case domain.ClassHMAC:
		return kmserr.HMACUnsupp
	}
	return kmserr.AsymmetricUnsupp
}

// requireAgreementKey admits EC_P256, EC_P384, SECP256K1 and SM2 keys with
// key_usage SIGN_VERIFY (the only usage create-key lets an EC key have; see
// docs/crypto-asymmetric.md §3.5): symmetric keys answer KMS.0331, HMAC keys
// KMS.0341, RSA keys KMS.0332 (ECDH is not an RSA algorithm), SM2
// ENCRYPT_DECRYPT keys KMS.0334.
func requireAgreementKey(k *domain.Key) error {
	switch k.Spec.Class() {
	case domain.ClassEC, domain.ClassSM2:
		if k.Usage != domain.UsageSignVerify {
			return kmserr.EncryptDecryptKey
		}
		return nil
	case domain.ClassRSA:
		return kmserr.AlgorithmUnsupp.Msgf("ECDH is not supported by %s keys.", k.Spec)
	}
	return requireAsymmetric(k)
}

// cryptoErr maps a keycrypto error of a sign, verify, MAC or ECDH call to an
// API error: wrong algorithm KMS.0332, digest length KMS.0329, bad public
// key KMS.0308; anything else is internal (the key kind was checked before,
// so it means corrupt material or a bug).
func cryptoErr(err error) error {
	switch {
	case errors.Is(err, keycrypto.ErrAlgorithm):
		return kmserr.AlgorithmUnsupp.Wrap(err)
	case errors.Is(err, keycrypto.ErrDigestLength):
		return kmserr.DigestLength.Wrap(err)
	case errors.Is(err, keycrypto.ErrPublicKey):
		return kmserr.InvalidParameter.Msgf("public_key is not a valid public key on the key's curve.").Wrap(err)
	}
	return kmserr.Internal.Wrap(err)
}
