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
)

// GenerateDataKeyPair makes a fresh key pair for create-rsa-datakey-pair /
// create-ec-datakey-pair. pairSpec is one of RSA_2048, RSA_3072, RSA_4096,
// ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521, ECC_SECG_P256K1, SM2 (else
// ErrUnsupported). It returns the private key as PKCS#8 DER and the public key
// as SubjectPublicKeyInfo DER. NIST and RSA keys parse with crypto/x509;
// SM2 keys use the SM2 curve OID (gmsm smx509); secp256k1 keys use
// id-ecPublicKey + 1.3.132.0.10 with an RFC 5915 ECPrivateKey inside
// (OpenSSL reads both).
func GenerateDataKeyPair(pairSpec string) (privatePKCS8, publicSPKI []byte, err error) {
	switch pairSpec {
	case PairRSA2048, PairRSA3072, PairRSA4096:
		bits := map[string]int{PairRSA2048: 2048, PairRSA3072: 3072, PairRSA4096: 4096}[pairSpec]
		k, err := rsa.GenerateKey(rand.Reader, bits)
		if err != nil {
			return nil, nil, fmt.Errorf("keycrypto: generate %s: %w", pairSpec, err)
		}
		return marshalStd(k, &k.PublicKey)
	case PairECCNISTP256, PairECCNISTP384, PairECCNISTP521:
		curve := map[string]elliptic.Curve{
			PairECCNISTP256: elliptic.P256(), PairECCNISTP384: elliptic.P384(), PairECCNISTP521: elliptic.P521(),
		}[pairSpec]
		k, err := ecdsa.GenerateKey(curve, rand.Reader)
		if err != nil {
			return nil, nil, fmt.Errorf("keycrypto: generate %s: %w", pairSpec, err)
		}
		return marshalStd(k, &k.PublicKey)
	case PairECCSECGP256K:
		k, err := secp256k1.GeneratePrivateKey()
		if err != nil {
			return nil, nil, fmt.Errorf("keycrypto: generate %s: %w", pairSpec, err)
		}
		if privatePKCS8, err = marshalK1PKCS8(k); err == nil {
			publicSPKI, err = marshalK1PublicKey(k.PubKey())
		}
		return privatePKCS8, publicSPKI, err
	case PairSM2:
		k, err := sm2.GenerateKey(rand.Reader)
		if err != nil {
			return nil, nil, fmt.Errorf("keycrypto: generate %s: %w", pairSpec, err)
		}
		if privatePKCS8, err = smx509.MarshalPKCS8PrivateKey(k); err == nil {
			publicSPKI, err = smx509.MarshalPKIXPublicKey(&k.PublicKey)
		}
		return privatePKCS8, publicSPKI, err
	}
	return nil, nil, fmt.Errorf("%w: data key pair spec %q", ErrUnsupported, pairSpec)
}

// marshalStd encodes a crypto/x509-supported key pair.
func marshalStd(priv, pub any) ([]byte, []byte, error) {
	p8, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, nil, fmt.Errorf("keycrypto: marshal private key: %w", err)
	}
	spki, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, nil, fmt.Errorf("keycrypto: marshal public key: %w", err)
	}
	return p8, spki, nil
}
