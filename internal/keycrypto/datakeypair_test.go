package keycrypto

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"strings"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
)

func TestGenerateDataKeyPair(t *testing.T) {
	type pub interface{ Equal(crypto.PublicKey) bool }
	std := func(bits int, curve elliptic.Curve) func(t *testing.T, p8, spki []byte) {
		return func(t *testing.T, p8, spki []byte) {
			priv, err := x509.ParsePKCS8PrivateKey(p8)
			if err != nil {
				t.Fatalf("x509.ParsePKCS8PrivateKey: %v", err)
			}
			pk, err := x509.ParsePKIXPublicKey(spki)
			if err != nil {
				t.Fatalf("x509.ParsePKIXPublicKey: %v", err)
			}
			if !priv.(crypto.Signer).Public().(pub).Equal(pk) {
				t.Fatal("public key does not match private key")
			}
			if bits != 0 && priv.(*rsa.PrivateKey).N.BitLen() != bits || curve != nil && priv.(*ecdsa.PrivateKey).Curve != curve {
				t.Fatal("wrong size or curve")
			}
		}
	}
	cases := []struct {
		spec  string
		check func(t *testing.T, p8, spki []byte)
	}{
		{PairRSA2048, std(2048, nil)},
		{PairRSA3072, std(3072, nil)},
		{PairRSA4096, std(4096, nil)},
		{PairECCNISTP256, std(0, elliptic.P256())},
		{PairECCNISTP384, std(0, elliptic.P384())},
		{PairECCNISTP521, std(0, elliptic.P521())},
		{PairSM2, func(t *testing.T, p8, spki []byte) {
			priv, err := smx509.ParsePKCS8PrivateKey(p8)
			if err != nil {
				t.Fatal(err)
			}
			pk, err := smx509.ParsePKIXPublicKey(spki)
			if err != nil || !priv.(*sm2.PrivateKey).PublicKey.Equal(pk) {
				t.Fatalf("public key mismatch: %v", err)
			}
		}},
		{PairECCSECGP256K, func(t *testing.T, p8, spki []byte) {
			scalar, err := parseK1PKCS8(p8)
			if err != nil {
				t.Fatal(err)
			}
			pk, err := parseK1PublicKey(spki)
			if err != nil || !pk.IsEqual(secp256k1.PrivKeyFromBytes(scalar).PubKey()) {
				t.Fatalf("public key mismatch: %v", err)
			}
			// Independent: OpenSSL reads the PKCS#8 key and prints the same public key.
			fromKey, err := runOpenSSL(t, p8, "pkey", "-inform", "DER", "-pubout", "-outform", "DER")
			if err != nil {
				t.Fatal(err)
			}
			if string(fromKey) != string(spki) {
				t.Fatal("OpenSSL derives another public key from the private key")
			}
			text, _ := runOpenSSL(t, p8, "pkey", "-inform", "DER", "-noout", "-text")
			if !strings.Contains(string(text), "secp256k1") {
				t.Fatalf("OpenSSL does not see secp256k1:\n%s", text)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.spec, func(t *testing.T) {
			p8, spki, err := GenerateDataKeyPair(tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, p8, spki)
		})
	}
	_, _, err := GenerateDataKeyPair("EC_P256") // CMK name, not a pair name
	wantErr(t, err, ErrUnsupported)
}
