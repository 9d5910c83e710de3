package keycrypto

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"fmt"

	"github.com/emmansun/gmsm/smx509"
	"github.com/tink-crypto/tink-go/v2/kwp/subtle"

	"github.com/kmsd/kmsd/internal/domain"
)

// WrappingKeyBits is the size of import wrapping keys.
const WrappingKeyBits = 2048

// NewWrappingKey returns a fresh RSA-2048 key for get-parameters-for-import;
// its public half goes out as SPKI DER (x509.MarshalPKIXPublicKey).
func NewWrappingKey() (*rsa.PrivateKey, error) {
	k, err := rsa.GenerateKey(rand.Reader, WrappingKeyBits)
	if err != nil {
		return nil, fmt.Errorf("keycrypto: generate wrapping key: %w", err)
	}
	return k, nil
}

// UnwrapImport recovers imported key material for spec and returns it in this
// package's encoding (ready for ValidateMaterial and storage).
//
// alg is the wrapping_algorithm: RSAES_OAEP_SHA_256 or RSAES_OAEP_SHA_1
// (MGF1 with the same hash, empty label); anything else, SM2_ENCRYPT
// included, is ErrAlgorithm. An RSA-OAEP failure is ErrCiphertext.
//
// Symmetric specs (AES_256, SM4): encryptedMaterial = OAEP(material), the
// material must be 32 (AES_256) or 16 (SM4) bytes, else ErrMaterialLength;
// encryptedPrivateKey is ignored.
//
// Asymmetric specs: encryptedMaterial = OAEP(temporary AES key of 16 or 32
// bytes, else ErrTempKeyLength); encryptedPrivateKey = AES key wrap with
// padding (RFC 5649, OpenSSL id-aes{128,256}-wrap-pad) under that temporary
// key of a PKCS#8 DER private key. A missing, unwrappable or malformed private
// key, or one of the wrong type, size or curve for spec, is ErrPrivateKey.
// HMAC specs cannot be imported: ErrUnsupported.
func UnwrapImport(wrapping *rsa.PrivateKey, alg string, spec domain.KeySpec, encryptedMaterial, encryptedPrivateKey []byte) ([]byte, error) {
	h, ok := oaepHash(alg)
	if !ok {
		return nil, fmt.Errorf("%w: wrapping algorithm %q", ErrAlgorithm, alg)
	}
	c := spec.Class()
	if c == domain.ClassHMAC || c == domain.ClassUnknown {
		return nil, fmt.Errorf("%w: %q material cannot be imported", ErrUnsupported, spec)
	}
	secret, err := rsa.DecryptOAEP(h.New(), nil, wrapping, encryptedMaterial, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: encrypted key material does not decrypt", ErrCiphertext)
	}
	if c == domain.ClassSymmetric {
		return symmetricKey(spec, secret)
	}
	defer clear(secret)
	if len(secret) != 16 && len(secret) != 32 {
		return nil, fmt.Errorf("%w: got %d bytes", ErrTempKeyLength, len(secret))
	}
	if len(encryptedPrivateKey) == 0 {
		return nil, fmt.Errorf("%w: encrypted private key missing", ErrPrivateKey)
	}
	kwp, err := subtle.NewKWP(secret)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrTempKeyLength, err)
	}
	der, err := kwp.Unwrap(encryptedPrivateKey)
	if err != nil {
		return nil, fmt.Errorf("%w: private key does not unwrap", ErrPrivateKey)
	}
	defer clear(der)
	return materialFromPKCS8(spec, der)
}

// materialFromPKCS8 converts an imported PKCS#8 private key into this
// package's encoding for spec (RSA/EC/SM2 re-encoded as canonical PKCS#8,
// SECP256K1 as the 32-byte scalar). Errors wrap
// ErrPrivateKey.
func materialFromPKCS8(spec domain.KeySpec, der []byte) ([]byte, error) {
	var (
		out []byte
		err error
	)
	switch spec.Class() {
	case domain.ClassRSA:
		k, perr := parseRSA(spec, der)
		if perr != nil {
			return nil, perr
		}
		out, err = x509.MarshalPKCS8PrivateKey(k)
	case domain.ClassEC:
		if spec == domain.SpecSECP256K1 {
			return parseK1PKCS8(der)
		}
		k, perr := parseECDSA(spec, der)
		if perr != nil {
			return nil, perr
		}
		out, err = x509.MarshalPKCS8PrivateKey(k)
	case domain.ClassSM2:
		k, perr := parseSM2(der)
		if perr != nil {
			return nil, perr
		}
		out, err = smx509.MarshalPKCS8PrivateKey(k)
	default:
		return nil, fmt.Errorf("%w: %q has no private key", ErrUnsupported, spec)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPrivateKey, err)
	}
	return out, nil
}
