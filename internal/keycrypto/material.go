package keycrypto

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"fmt"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"

	"github.com/kmsd/kmsd/internal/domain"
)

// symmetricLen is the raw material length of symmetric and HMAC specs.
var symmetricLen = map[domain.KeySpec]int{
	domain.SpecAES256: 32, domain.SpecSM4: 16,
	domain.SpecHMAC256: 32, domain.SpecHMAC384: 48, domain.SpecHMAC512: 64, domain.SpecHMACSM3: 32,
}

// rsaBits is the modulus size of each RSA spec.
var rsaBits = map[domain.KeySpec]int{
	domain.SpecRSA2048: 2048, domain.SpecRSA3072: 3072, domain.SpecRSA4096: 4096,
}

// nistCurve is the curve of the NIST EC specs.
func nistCurve(spec domain.KeySpec) elliptic.Curve {
	switch spec {
	case domain.SpecECP256:
		return elliptic.P256()
	case domain.SpecECP384:
		return elliptic.P384()
	}
	return nil
}

// Generate returns fresh key material for spec, in the encoding described in
// the package documentation, from crypto/rand. Unknown specs: ErrUnsupported.
// RSA_4096 generation takes seconds.
func Generate(spec domain.KeySpec) ([]byte, error) {
	if n, ok := symmetricLen[spec]; ok {
		b := make([]byte, n)
		if _, err := rand.Read(b); err != nil {
			return nil, fmt.Errorf("keycrypto: random: %w", err)
		}
		return b, nil
	}
	switch {
	case rsaBits[spec] != 0:
		k, err := rsa.GenerateKey(rand.Reader, rsaBits[spec])
		if err != nil {
			return nil, fmt.Errorf("keycrypto: generate %s: %w", spec, err)
		}
		return x509.MarshalPKCS8PrivateKey(k)
	case nistCurve(spec) != nil:
		k, err := ecdsa.GenerateKey(nistCurve(spec), rand.Reader)
		if err != nil {
			return nil, fmt.Errorf("keycrypto: generate %s: %w", spec, err)
		}
		return x509.MarshalPKCS8PrivateKey(k)
	case spec == domain.SpecSM2:
		k, err := sm2.GenerateKey(rand.Reader)
		if err != nil {
			return nil, fmt.Errorf("keycrypto: generate %s: %w", spec, err)
		}
		return smx509.MarshalPKCS8PrivateKey(k)
	case spec == domain.SpecSECP256K1:
		k, err := secp256k1.GeneratePrivateKey()
		if err != nil {
			return nil, fmt.Errorf("keycrypto: generate %s: %w", spec, err)
		}
		return k.Serialize(), nil
	}
	return nil, fmt.Errorf("%w: %q", ErrUnsupported, spec)
}

// ValidateMaterial checks that material is well-formed key material for spec
// in this package's encoding: symmetric/HMAC lengths (ErrMaterialLength),
// private keys of the right type, size and curve (ErrPrivateKey). Unknown
// specs: ErrUnsupported.
func ValidateMaterial(spec domain.KeySpec, material []byte) error {
	switch spec.Class() {
	case domain.ClassSymmetric, domain.ClassHMAC:
		_, err := symmetricKey(spec, material)
		return err
	case domain.ClassRSA:
		_, err := parseRSA(spec, material)
		return err
	case domain.ClassEC:
		if spec == domain.SpecSECP256K1 {
			_, err := parseK1(material)
			return err
		}
		_, err := parseECDSA(spec, material)
		return err
	case domain.ClassSM2:
		_, err := parseSM2(material)
		return err
	}
	return fmt.Errorf("%w: %q", ErrUnsupported, spec)
}

// symmetricKey returns material after checking its length for spec.
func symmetricKey(spec domain.KeySpec, material []byte) ([]byte, error) {
	n, ok := symmetricLen[spec]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnsupported, spec)
	}
	if len(material) != n {
		return nil, fmt.Errorf("%w: %s needs %d bytes, got %d", ErrMaterialLength, spec, n, len(material))
	}
	return material, nil
}

// parseRSA parses PKCS#8 RSA material and checks the modulus size.
func parseRSA(spec domain.KeySpec, material []byte) (*rsa.PrivateKey, error) {
	k, err := x509.ParsePKCS8PrivateKey(material)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPrivateKey, err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%w: %s needs an RSA key, got %T", ErrPrivateKey, spec, k)
	}
	if rk.N.BitLen() != rsaBits[spec] {
		return nil, fmt.Errorf("%w: %s needs a %d-bit modulus, got %d", ErrPrivateKey, spec, rsaBits[spec], rk.N.BitLen())
	}
	return rk, nil
}

// parseECDSA parses PKCS#8 EC_P256/EC_P384 material and checks the curve.
func parseECDSA(spec domain.KeySpec, material []byte) (*ecdsa.PrivateKey, error) {
	k, err := x509.ParsePKCS8PrivateKey(material)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPrivateKey, err)
	}
	ek, ok := k.(*ecdsa.PrivateKey)
	if !ok || nistCurve(spec) == nil || ek.Curve != nistCurve(spec) {
		return nil, fmt.Errorf("%w: %s needs a key on its curve, got %T", ErrPrivateKey, spec, k)
	}
	return ek, nil
}

// parseSM2 parses PKCS#8 SM2 material (id-ecPublicKey with the SM2 curve OID).
func parseSM2(material []byte) (*sm2.PrivateKey, error) {
	k, err := smx509.ParsePKCS8PrivateKey(material)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPrivateKey, err)
	}
	sk, ok := k.(*sm2.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%w: SM2 needs a key on the SM2 curve, got %T", ErrPrivateKey, k)
	}
	return sk, nil
}

// parseK1 parses a 32-byte big-endian SECP256K1 scalar in [1, n-1].
func parseK1(material []byte) (*secp256k1.PrivateKey, error) {
	if len(material) != 32 {
		return nil, fmt.Errorf("%w: SECP256K1 needs a 32-byte scalar, got %d bytes", ErrPrivateKey, len(material))
	}
	var s secp256k1.ModNScalar
	if overflow := s.SetByteSlice(material); overflow || s.IsZero() {
		return nil, fmt.Errorf("%w: SECP256K1 scalar out of range", ErrPrivateKey)
	}
	return secp256k1.NewPrivateKey(&s), nil
}
