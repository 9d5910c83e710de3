package keycrypto

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/x509"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"

	"github.com/kmsd/kmsd/internal/domain"
)

// peerSecret makes a peer key pair with the stdlib, gmsm or decred and
// returns its SPKI and the secret the peer derives from kmsd's public key.
func peerSecret(t *testing.T, spec domain.KeySpec) (spki, secret []byte) {
	t.Helper()
	kmsdPub := publicDER(t, spec)
	var err error
	switch spec {
	case domain.SpecECP256, domain.SpecECP384:
		curve := map[domain.KeySpec]ecdh.Curve{domain.SpecECP256: ecdh.P256(), domain.SpecECP384: ecdh.P384()}[spec]
		peer, _ := curve.GenerateKey(rand.Reader)
		spki, _ = x509.MarshalPKIXPublicKey(peer.PublicKey())
		pub, _ := x509.ParsePKIXPublicKey(kmsdPub)
		theirs, _ := pub.(*ecdsa.PublicKey).ECDH()
		secret, err = peer.ECDH(theirs)
	case domain.SpecSM2:
		peer, _ := sm2.GenerateKey(rand.Reader)
		spki, _ = smx509.MarshalPKIXPublicKey(&peer.PublicKey)
		pub, _ := smx509.ParsePKIXPublicKey(kmsdPub)
		theirs, _ := sm2.PublicKeyToECDH(pub.(*ecdsa.PublicKey))
		mine, _ := peer.ECDH()
		secret, err = mine.ECDH(theirs)
	case domain.SpecSECP256K1:
		peer, _ := secp256k1.GeneratePrivateKey()
		spki, _ = marshalK1PublicKey(peer.PubKey())
		secret = secp256k1.GenerateSharedSecret(peer, secp256k1.PrivKeyFromBytes(material(t, spec)).PubKey())
	}
	if err != nil || len(spki) == 0 {
		t.Fatalf("peer: %v", err)
	}
	return spki, secret
}

func TestDeriveSharedSecretMatchesPeer(t *testing.T) {
	for _, spec := range specsOf(domain.ClassEC, domain.ClassSM2) {
		t.Run(string(spec), func(t *testing.T) {
			spki, want := peerSecret(t, spec)
			got, err := DeriveSharedSecret(spec, material(t, spec), spki)
			if err != nil {
				t.Fatal(err)
			}
			wantLen := 32
			if spec == domain.SpecECP384 {
				wantLen = 48
			}
			if !bytes.Equal(got, want) || len(got) != wantLen {
				t.Fatalf("secret = %x, peer has %x", got, want)
			}
		})
	}
}

// TestDeriveSharedSecretOpenSSL has OpenSSL derive the same secret.
func TestDeriveSharedSecretOpenSSL(t *testing.T) {
	requireOpenSSL(t)
	for _, spec := range []domain.KeySpec{domain.SpecECP256, domain.SpecECP384, domain.SpecSECP256K1} {
		t.Run(string(spec), func(t *testing.T) {
			dir := t.TempDir()
			peerSPKI, _ := peerSecret(t, spec)
			key := writePEM(t, dir, "key.pem", "PRIVATE KEY", privatePKCS8(t, spec))
			peer := writePEM(t, dir, "peer.pem", "PUBLIC KEY", peerSPKI)
			want, err := runOpenSSL(t, nil, "pkeyutl", "-derive", "-inkey", key, "-peerkey", peer)
			if err != nil {
				t.Fatal(err)
			}
			got, err := DeriveSharedSecret(spec, material(t, spec), peerSPKI)
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("kmsd %x, openssl %x, %v", got, want, err)
			}
		})
	}
}

func TestDeriveSharedSecretRejects(t *testing.T) {
	p256 := domain.SpecECP256
	cases := []struct {
		name string
		spec domain.KeySpec
		peer []byte
		want error
	}{
		{"P-384 peer for P-256", p256, publicDER(t, domain.SpecECP384), ErrPublicKey},
		{"SM2 peer for P-256", p256, publicDER(t, domain.SpecSM2), ErrPublicKey},
		{"P-256 peer for SM2", domain.SpecSM2, publicDER(t, p256), ErrPublicKey},
		{"P-256 peer for SECP256K1", domain.SpecSECP256K1, publicDER(t, p256), ErrPublicKey},
		{"SECP256K1 peer for P-256", p256, publicDER(t, domain.SpecSECP256K1), ErrPublicKey},
		{"RSA peer", p256, publicDER(t, domain.SpecRSA2048), ErrPublicKey},
		{"garbage", p256, []byte("garbage"), ErrPublicKey},
		{"RSA key", domain.SpecRSA2048, publicDER(t, domain.SpecRSA2048), ErrUnsupported},
		{"AES key", domain.SpecAES256, publicDER(t, p256), ErrUnsupported},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DeriveSharedSecret(tc.spec, material(t, tc.spec), tc.peer)
			wantErr(t, err, tc.want)
		})
	}
}
