package keycrypto

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"strings"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"

	"github.com/kmsd/kmsd/internal/domain"
)

// PublicKeyDER returns the X.509 SubjectPublicKeyInfo DER of an asymmetric
// key's public half: RSA and EC via crypto/x509, SM2 as gmsm smx509 marshals
// it (id-ecPublicKey + curve 1.2.156.10197.1.301), SECP256K1 as
// id-ecPublicKey + curve 1.3.132.0.10 with an uncompressed point.
// Symmetric/HMAC specs: ErrUnsupported; bad material: ErrPrivateKey.
func PublicKeyDER(spec domain.KeySpec, material []byte) ([]byte, error) {
	var (
		der []byte
		err error
	)
	switch spec.Class() {
	case domain.ClassRSA:
		var k *rsa.PrivateKey
		if k, err = parseRSA(spec, material); err == nil {
			der, err = x509.MarshalPKIXPublicKey(&k.PublicKey)
		}
	case domain.ClassEC:
		if spec == domain.SpecSECP256K1 {
			var k *secp256k1.PrivateKey
			if k, err = parseK1(material); err == nil {
				der, err = marshalK1PublicKey(k.PubKey())
			}
			break
		}
		var k *ecdsa.PrivateKey
		if k, err = parseECDSA(spec, material); err == nil {
			der, err = x509.MarshalPKIXPublicKey(&k.PublicKey)
		}
	case domain.ClassSM2:
		var k *sm2.PrivateKey
		if k, err = parseSM2(material); err == nil {
			der, err = smx509.MarshalPKIXPublicKey(&k.PublicKey)
		}
	default:
		return nil, fmt.Errorf("%w: %q has no public key", ErrUnsupported, spec)
	}
	if err != nil {
		return nil, err
	}
	return der, nil
}

// PublicKeyPEM wraps SPKI DER in a "PUBLIC KEY" PEM block with CRLF line
// ends (base64 lines of 64 characters, trailing CRLF), the layout of the
// get-publickey sample of the real service. PEM decoders (Go encoding/pem,
// OpenSSL, Java, Python) accept CRLF.
func PublicKeyPEM(der []byte) string {
	s := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	return strings.ReplaceAll(s, "\n", "\r\n")
}

// publicKey is a parsed public key of one of the asymmetric specs; exactly one
// field is set.
type publicKey struct {
	rsa *rsa.PublicKey
	ec  *ecdsa.PublicKey // NIST P-256/P-384 or the SM2 curve
	k1  *secp256k1.PublicKey
}

// parsePublicKey parses SPKI DER and checks it fits spec (RSA size, curve).
// Errors wrap ErrPublicKey; symmetric/HMAC specs give ErrUnsupported.
func parsePublicKey(spec domain.KeySpec, der []byte) (publicKey, error) {
	switch spec.Class() {
	case domain.ClassRSA:
		k, err := x509.ParsePKIXPublicKey(der)
		rk, ok := k.(*rsa.PublicKey)
		if err != nil || !ok || rk.N.BitLen() != rsaBits[spec] {
			return publicKey{}, fmt.Errorf("%w: not an %s public key", ErrPublicKey, spec)
		}
		return publicKey{rsa: rk}, nil
	case domain.ClassEC:
		if spec == domain.SpecSECP256K1 {
			k, err := parseK1PublicKey(der)
			return publicKey{k1: k}, err
		}
		k, err := x509.ParsePKIXPublicKey(der)
		ek, ok := k.(*ecdsa.PublicKey)
		if err != nil || !ok || ek.Curve != nistCurve(spec) {
			return publicKey{}, fmt.Errorf("%w: not an %s public key", ErrPublicKey, spec)
		}
		return publicKey{ec: ek}, nil
	case domain.ClassSM2:
		k, err := smx509.ParsePKIXPublicKey(der)
		if err != nil || !sm2.IsSM2PublicKey(k) {
			return publicKey{}, fmt.Errorf("%w: not an SM2 public key", ErrPublicKey)
		}
		return publicKey{ec: k.(*ecdsa.PublicKey)}, nil
	}
	return publicKey{}, fmt.Errorf("%w: %q has no public key", ErrUnsupported, spec)
}
