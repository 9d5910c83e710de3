package keycrypto

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
)

// ASN.1 encodings of secp256k1 keys, which the standard library does not know:
// SubjectPublicKeyInfo (RFC 5480) and PKCS#8 (RFC 5208) wrapping an
// ECPrivateKey (RFC 5915), both with algorithm id-ecPublicKey and the named
// curve secp256k1 (SEC 2). Only encoding lives here; the curve arithmetic is
// decred's.

var (
	oidECPublicKey = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidSecp256k1   = asn1.ObjectIdentifier{1, 3, 132, 0, 10}
)

type subjectPublicKeyInfo struct {
	Algorithm pkix.AlgorithmIdentifier
	PublicKey asn1.BitString
}

type pkcs8PrivateKey struct {
	Version    int
	Algorithm  pkix.AlgorithmIdentifier
	PrivateKey []byte
}

type ecPrivateKey struct {
	Version    int
	PrivateKey []byte
	Curve      asn1.ObjectIdentifier `asn1:"optional,explicit,tag:0"`
	PublicKey  asn1.BitString        `asn1:"optional,explicit,tag:1"`
}

// k1Algorithm is the AlgorithmIdentifier id-ecPublicKey/secp256k1.
func k1Algorithm() pkix.AlgorithmIdentifier {
	params, _ := asn1.Marshal(oidSecp256k1) // cannot fail for a constant OID
	return pkix.AlgorithmIdentifier{Algorithm: oidECPublicKey, Parameters: asn1.RawValue{FullBytes: params}}
}

// isK1Algorithm reports whether a is id-ecPublicKey with the secp256k1 curve.
func isK1Algorithm(a pkix.AlgorithmIdentifier) bool {
	var curve asn1.ObjectIdentifier
	rest, err := asn1.Unmarshal(a.Parameters.FullBytes, &curve)
	return err == nil && len(rest) == 0 && a.Algorithm.Equal(oidECPublicKey) && curve.Equal(oidSecp256k1)
}

// marshalK1PublicKey returns the SPKI DER of pub (uncompressed point).
func marshalK1PublicKey(pub *secp256k1.PublicKey) ([]byte, error) {
	point := pub.SerializeUncompressed()
	return asn1.Marshal(subjectPublicKeyInfo{
		Algorithm: k1Algorithm(),
		PublicKey: asn1.BitString{Bytes: point, BitLength: 8 * len(point)},
	})
}

// parseK1PublicKey parses an SPKI DER secp256k1 public key (compressed or
// uncompressed point). Errors wrap ErrPublicKey.
func parseK1PublicKey(der []byte) (*secp256k1.PublicKey, error) {
	var info subjectPublicKeyInfo
	rest, err := asn1.Unmarshal(der, &info)
	if err != nil || len(rest) != 0 || !isK1Algorithm(info.Algorithm) || info.PublicKey.BitLength != 8*len(info.PublicKey.Bytes) {
		return nil, fmt.Errorf("%w: not a secp256k1 SubjectPublicKeyInfo", ErrPublicKey)
	}
	pub, err := secp256k1.ParsePubKey(info.PublicKey.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPublicKey, err)
	}
	return pub, nil
}

// marshalK1PKCS8 returns the PKCS#8 DER of priv, with the public key included
// in the ECPrivateKey and the curve only in the outer AlgorithmIdentifier (the
// layout crypto/x509 uses for NIST curves).
func marshalK1PKCS8(priv *secp256k1.PrivateKey) ([]byte, error) {
	point := priv.PubKey().SerializeUncompressed()
	inner, err := asn1.Marshal(ecPrivateKey{
		Version:    1,
		PrivateKey: priv.Serialize(),
		PublicKey:  asn1.BitString{Bytes: point, BitLength: 8 * len(point)},
	})
	if err != nil {
		return nil, fmt.Errorf("keycrypto: marshal secp256k1 key: %w", err)
	}
	return asn1.Marshal(pkcs8PrivateKey{Algorithm: k1Algorithm(), PrivateKey: inner})
}

// parseK1PKCS8 parses a PKCS#8 DER secp256k1 private key and returns the
// 32-byte scalar. An embedded curve or public key must agree with the key.
// Errors wrap ErrPrivateKey.
func parseK1PKCS8(der []byte) ([]byte, error) {
	var p pkcs8PrivateKey
	rest, err := asn1.Unmarshal(der, &p)
	if err != nil || len(rest) != 0 || p.Version != 0 || !isK1Algorithm(p.Algorithm) {
		return nil, fmt.Errorf("%w: not a secp256k1 PKCS#8 key", ErrPrivateKey)
	}
	var ec ecPrivateKey
	rest, err = asn1.Unmarshal(p.PrivateKey, &ec)
	if err != nil || len(rest) != 0 || ec.Version != 1 || len(ec.PrivateKey) > 32 ||
		(len(ec.Curve) != 0 && !ec.Curve.Equal(oidSecp256k1)) {
		return nil, fmt.Errorf("%w: malformed secp256k1 ECPrivateKey", ErrPrivateKey)
	}
	scalar := make([]byte, 32)
	copy(scalar[32-len(ec.PrivateKey):], ec.PrivateKey)
	priv, err := parseK1(scalar)
	if err != nil {
		return nil, err
	}
	if len(ec.PublicKey.Bytes) != 0 {
		pub, err := secp256k1.ParsePubKey(ec.PublicKey.Bytes)
		if err != nil || !pub.IsEqual(priv.PubKey()) {
			return nil, fmt.Errorf("%w: embedded public key does not match", ErrPrivateKey)
		}
	}
	return scalar, nil
}
