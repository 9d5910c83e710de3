package keycrypto

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"sync"
	"testing"

	"github.com/tink-crypto/tink-go/v2/kwp/subtle"

	"github.com/kmsd/kmsd/internal/domain"
)

var (
	wrapOnce sync.Once
	wrapKey  *rsa.PrivateKey
)

func wrappingKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	wrapOnce.Do(func() {
		var err error
		if wrapKey, err = NewWrappingKey(); err != nil {
			panic(err)
		}
	})
	return wrapKey
}

// oaep wraps secret for the import wrapping key with crypto/rsa.
func oaep(t *testing.T, h crypto.Hash, secret []byte) []byte {
	t.Helper()
	// The wrapping key goes out as SPKI DER; parse it back like a client would.
	der, err := x509.MarshalPKIXPublicKey(&wrappingKey(t).PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := x509.ParsePKIXPublicKey(der)
	if err != nil || pub.(*rsa.PublicKey).N.BitLen() != WrappingKeyBits {
		t.Fatalf("wrapping key SPKI: %v", err)
	}
	ct, err := rsa.EncryptOAEP(h.New(), rand.Reader, pub.(*rsa.PublicKey), secret, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ct
}

func kwpWrap(t *testing.T, key, pt []byte) []byte {
	t.Helper()
	k, err := subtle.NewKWP(key)
	if err != nil {
		t.Fatal(err)
	}
	ct, err := k.Wrap(pt)
	if err != nil {
		t.Fatal(err)
	}
	return ct
}

func TestUnwrapImportSymmetric(t *testing.T) {
	for _, spec := range specsOf(domain.ClassSymmetric) {
		for alg, h := range map[string]crypto.Hash{AlgRSAESOAEPSHA256: crypto.SHA256, AlgRSAESOAEPSHA1: crypto.SHA1} {
			t.Run(alg+"/"+string(spec), func(t *testing.T) {
				m := material(t, spec)
				got, err := UnwrapImport(wrappingKey(t), alg, spec, oaep(t, h, m), nil)
				if err != nil || !bytes.Equal(got, m) {
					t.Fatalf("UnwrapImport = %x, %v", got, err)
				}
			})
		}
	}
}

func TestUnwrapImportAsymmetric(t *testing.T) {
	for _, spec := range specsOf(domain.ClassRSA, domain.ClassEC, domain.ClassSM2) {
		for _, tempLen := range []int{16, 32} {
			t.Run(fmt.Sprintf("%s/temp%d", spec, tempLen), func(t *testing.T) {
				temp := make([]byte, tempLen)
				rand.Read(temp)
				wrapped := kwpWrap(t, temp, privatePKCS8(t, spec))
				got, err := UnwrapImport(wrappingKey(t), AlgRSAESOAEPSHA256, spec, oaep(t, crypto.SHA256, temp), wrapped)
				if err != nil || !bytes.Equal(got, material(t, spec)) {
					t.Fatalf("UnwrapImport: %v", err)
				}
			})
		}
	}
}

// TestUnwrapImportOpenSSL imports keys generated and KWP-wrapped by OpenSSL
// (the procedure of the real service's user manual) and checks that kmsd
// derives the public key OpenSSL derives.
func TestUnwrapImportOpenSSL(t *testing.T) {
	requireOpenSSL(t)
	cases := []struct {
		spec domain.KeySpec
		gen  []string
	}{
		{domain.SpecRSA2048, []string{"-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"}},
		{domain.SpecECP256, []string{"-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"}},
		{domain.SpecECP384, []string{"-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"}},
		{domain.SpecSECP256K1, []string{"-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:secp256k1"}},
		{domain.SpecSM2, []string{"-algorithm", "SM2"}},
	}
	for _, tc := range cases {
		for _, cipher := range []string{"id-aes256-wrap-pad", "id-aes128-wrap-pad"} {
			t.Run(string(tc.spec)+"/"+cipher, func(t *testing.T) {
				dir := t.TempDir()
				raw, err := runOpenSSL(t, nil, append(append([]string{"genpkey"}, tc.gen...), "-outform", "DER")...)
				if err != nil {
					t.Fatal(err)
				}
				// As in the manual: convert to unencrypted PKCS#8 DER.
				p8, err := runOpenSSL(t, raw, "pkcs8", "-topk8", "-nocrypt", "-inform", "DER", "-outform", "DER")
				if err != nil {
					t.Fatal(err)
				}
				wantPub, err := runOpenSSL(t, p8, "pkey", "-inform", "DER", "-pubout", "-outform", "DER")
				if err != nil {
					t.Fatal(err)
				}
				temp := make([]byte, map[string]int{"id-aes256-wrap-pad": 32, "id-aes128-wrap-pad": 16}[cipher])
				rand.Read(temp)
				wrapped, err := runOpenSSL(t, nil, "enc", "-"+cipher, "-K", hex.EncodeToString(temp), "-iv", "A65959A6",
					"-in", writeFile(t, dir, "key.der", p8))
				if err != nil {
					t.Skipf("openssl enc -%s unavailable: %v", cipher, err)
				}
				m, err := UnwrapImport(wrappingKey(t), AlgRSAESOAEPSHA256, tc.spec, oaep(t, crypto.SHA256, temp), wrapped)
				if err != nil {
					t.Fatalf("UnwrapImport: %v", err)
				}
				if err := ValidateMaterial(tc.spec, m); err != nil {
					t.Fatal(err)
				}
				if pub, err := PublicKeyDER(tc.spec, m); err != nil || !bytes.Equal(pub, wantPub) {
					t.Fatalf("public key differs from OpenSSL's: %v", err)
				}
			})
		}
	}
}

func TestUnwrapImportRejects(t *testing.T) {
	temp := bytes.Repeat([]byte{7}, 32)
	p256 := privatePKCS8(t, domain.SpecECP256)
	good := kwpWrap(t, temp, p256)
	cases := []struct {
		name     string
		alg      string
		spec     domain.KeySpec
		material []byte
		private  []byte
		want     error
	}{
		{"SM2_ENCRYPT wrapping", AlgSM2Encrypt, domain.SpecAES256, oaep(t, crypto.SHA256, temp), nil, ErrAlgorithm},
		{"unknown wrapping", "RSAES_PKCS1_V1_5", domain.SpecAES256, oaep(t, crypto.SHA256, temp), nil, ErrAlgorithm},
		{"HMAC spec", AlgRSAESOAEPSHA256, domain.SpecHMAC256, oaep(t, crypto.SHA256, temp), nil, ErrUnsupported},
		{"OAEP hash mismatch", AlgRSAESOAEPSHA256, domain.SpecAES256, oaep(t, crypto.SHA1, temp), nil, ErrCiphertext},
		{"garbage material", AlgRSAESOAEPSHA256, domain.SpecAES256, []byte("garbage"), nil, ErrCiphertext},
		{"AES 16 bytes", AlgRSAESOAEPSHA256, domain.SpecAES256, oaep(t, crypto.SHA256, temp[:16]), nil, ErrMaterialLength},
		{"SM4 32 bytes", AlgRSAESOAEPSHA256, domain.SpecSM4, oaep(t, crypto.SHA256, temp), nil, ErrMaterialLength},
		{"temp key 24 bytes", AlgRSAESOAEPSHA256, domain.SpecECP256, oaep(t, crypto.SHA256, temp[:24]), good, ErrTempKeyLength},
		{"private key missing", AlgRSAESOAEPSHA256, domain.SpecECP256, oaep(t, crypto.SHA256, temp), nil, ErrPrivateKey},
		{"private key garbage", AlgRSAESOAEPSHA256, domain.SpecECP256, oaep(t, crypto.SHA256, temp), []byte("0123456789abcdef0123456789"), ErrPrivateKey},
		{"other temp key", AlgRSAESOAEPSHA256, domain.SpecECP256, oaep(t, crypto.SHA256, bytes.Repeat([]byte{8}, 32)), good, ErrPrivateKey},
		{"P-256 key for EC_P384", AlgRSAESOAEPSHA256, domain.SpecECP384, oaep(t, crypto.SHA256, temp), good, ErrPrivateKey},
		{"P-256 key for SM2", AlgRSAESOAEPSHA256, domain.SpecSM2, oaep(t, crypto.SHA256, temp), good, ErrPrivateKey},
		{"P-256 key for SECP256K1", AlgRSAESOAEPSHA256, domain.SpecSECP256K1, oaep(t, crypto.SHA256, temp), good, ErrPrivateKey},
		{"RSA_2048 key for RSA_3072", AlgRSAESOAEPSHA256, domain.SpecRSA3072, oaep(t, crypto.SHA256, temp),
			kwpWrap(t, temp, material(t, domain.SpecRSA2048)), ErrPrivateKey},
		{"SM2 key for EC_P256", AlgRSAESOAEPSHA256, domain.SpecECP256, oaep(t, crypto.SHA256, temp),
			kwpWrap(t, temp, material(t, domain.SpecSM2)), ErrPrivateKey},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := UnwrapImport(wrappingKey(t), tc.alg, tc.spec, tc.material, tc.private)
			wantErr(t, err, tc.want)
		})
	}
}
