package keycrypto

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"

	"github.com/kmsd/kmsd/internal/domain"
)

func TestGenerateValidateEverySpec(t *testing.T) {
	for _, spec := range domain.AllSpecs {
		t.Run(string(spec), func(t *testing.T) {
			m := material(t, spec)
			if err := ValidateMaterial(spec, m); err != nil {
				t.Fatalf("ValidateMaterial: %v", err)
			}
			if n, ok := symmetricLen[spec]; ok && len(m) != n {
				t.Fatalf("len = %d, want %d", len(m), n)
			}
		})
	}
}

func TestGenerateIsRandom(t *testing.T) {
	for _, spec := range []domain.KeySpec{domain.SpecAES256, domain.SpecSM4, domain.SpecSECP256K1, domain.SpecECP256} {
		a, _ := Generate(spec)
		b, _ := Generate(spec)
		if string(a) == string(b) {
			t.Errorf("%s: two generated keys are equal", spec)
		}
	}
}

func TestValidateMaterialRejects(t *testing.T) {
	p256 := material(t, domain.SpecECP256)
	cases := []struct {
		name     string
		spec     domain.KeySpec
		material []byte
		want     error
	}{
		{"AES short", domain.SpecAES256, make([]byte, 16), ErrMaterialLength},
		{"SM4 long", domain.SpecSM4, make([]byte, 32), ErrMaterialLength},
		{"HMAC_384 wrong", domain.SpecHMAC384, make([]byte, 32), ErrMaterialLength},
		{"HMAC_SM3 empty", domain.SpecHMACSM3, nil, ErrMaterialLength},
		{"RSA garbage", domain.SpecRSA2048, []byte("not der"), ErrPrivateKey},
		{"RSA size mismatch", domain.SpecRSA3072, material(t, domain.SpecRSA2048), ErrPrivateKey},
		{"RSA given EC", domain.SpecRSA2048, p256, ErrPrivateKey},
		{"P384 given P256", domain.SpecECP384, p256, ErrPrivateKey},
		{"P256 given SM2", domain.SpecECP256, material(t, domain.SpecSM2), ErrPrivateKey},
		{"SM2 given P256", domain.SpecSM2, p256, ErrPrivateKey},
		{"K1 short", domain.SpecSECP256K1, make([]byte, 31), ErrPrivateKey},
		{"K1 zero", domain.SpecSECP256K1, make([]byte, 32), ErrPrivateKey},
		{"K1 over order", domain.SpecSECP256K1, []byte(strings.Repeat("\xff", 32)), ErrPrivateKey},
		{"unknown spec", domain.KeySpec("AES_128"), make([]byte, 16), ErrUnsupported},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, ValidateMaterial(tc.spec, tc.material), tc.want) })
	}
	_, err := Generate("DSA_1024")
	wantErr(t, err, ErrUnsupported)
}

func TestPublicKeyDERParsesIndependently(t *testing.T) {
	for _, spec := range specsOf(domain.ClassRSA, domain.ClassEC, domain.ClassSM2) {
		t.Run(string(spec), func(t *testing.T) {
			der := publicDER(t, spec)
			switch spec.Class() {
			case domain.ClassRSA:
				k, err := x509.ParsePKIXPublicKey(der)
				if err != nil || k.(*rsa.PublicKey).N.BitLen() != rsaBits[spec] {
					t.Fatalf("stdlib parse: %v", err)
				}
				priv, _ := x509.ParsePKCS8PrivateKey(material(t, spec))
				if !priv.(*rsa.PrivateKey).PublicKey.Equal(k) {
					t.Fatal("public key does not match private key")
				}
			case domain.ClassSM2:
				k, err := smx509.ParsePKIXPublicKey(der)
				if err != nil || !sm2.IsSM2PublicKey(k) {
					t.Fatalf("smx509 parse: %v", err)
				}
			default:
				if spec == domain.SpecSECP256K1 {
					// Independent check: OpenSSL reads the SPKI and names the curve.
					out, err := runOpenSSL(t, der, "pkey", "-pubin", "-inform", "DER", "-noout", "-text")
					if err != nil || !strings.Contains(string(out), "secp256k1") {
						t.Fatalf("openssl: %v\n%s", err, out)
					}
					return
				}
				k, err := x509.ParsePKIXPublicKey(der)
				if err != nil || k.(*ecdsa.PublicKey).Curve != nistCurve(spec) {
					t.Fatalf("stdlib parse: %v", err)
				}
			}
		})
	}
	for _, spec := range specsOf(domain.ClassSymmetric, domain.ClassHMAC) {
		_, err := PublicKeyDER(spec, material(t, spec))
		wantErr(t, err, ErrUnsupported)
	}
}

func TestPublicKeyPEM(t *testing.T) {
	der := publicDER(t, domain.SpecRSA2048)
	s := PublicKeyPEM(der)
	if !strings.HasPrefix(s, "-----BEGIN PUBLIC KEY-----\r\n") || !strings.HasSuffix(s, "\r\n-----END PUBLIC KEY-----\r\n") {
		t.Fatalf("bad armour: %q", s)
	}
	if strings.Contains(strings.ReplaceAll(s, "\r\n", ""), "\n") {
		t.Fatal("bare LF in PEM")
	}
	b, rest := pem.Decode([]byte(s))
	if b == nil || b.Type != "PUBLIC KEY" || string(b.Bytes) != string(der) || len(rest) != 0 {
		t.Fatal("PEM does not decode back to the DER")
	}
	if _, err := x509.ParsePKIXPublicKey(b.Bytes); err != nil {
		t.Fatal(err)
	}
}

// stdECKey parses EC material with crypto/x509 (test helper).
func stdECKey(t *testing.T, m []byte) *ecdsa.PrivateKey {
	t.Helper()
	k, err := x509.ParsePKCS8PrivateKey(m)
	if err != nil {
		t.Fatal(err)
	}
	ek := k.(*ecdsa.PrivateKey)
	if ek.Curve != elliptic.P256() && ek.Curve != elliptic.P384() {
		t.Fatal("unexpected curve")
	}
	return ek
}
