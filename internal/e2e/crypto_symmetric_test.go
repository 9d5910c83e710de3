package e2e

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"hash"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"
)

func TestEncryptDecryptSymmetric(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	plains := map[string]string{
		"one byte": "x", "unicode and newlines": "héllo\n\twörld ✓", "4096 bytes": strings.Repeat("k", 4096),
		"base64 like sops": base64.StdEncoding.EncodeToString(make([]byte, 32)),
	}
	for _, spec := range []string{"AES_256", "SM4"} {
		id := newCryptoKey(t, c, "sym-"+spec, spec, "")
		addAlias(t, nd, "alias/sym-"+spec, id)
		for name, plain := range plains {
			t.Run(spec+"/"+name, func(t *testing.T) {
				ct := encryptOK(t, c, id, plain, "", nil)
				raw, err := base64.StdEncoding.DecodeString(ct)
				if err != nil || len(raw) != len(plain)+140 {
					t.Fatalf("ciphertext: %d bytes (%v), want %d", len(raw), err, len(plain)+140)
				}
				decryptOK(t, c, ct, "", "", nil, plain, id)
				decryptOK(t, c, ct, id, "SYMMETRIC_DEFAULT", nil, plain, id)
				decryptOK(t, c, ct, "alias/sym-"+spec, "", nil, plain, id)
				resp, err := c.DecryptData(decryptReq(t, ct, "", "", nil))
				if err != nil || *resp.PlainTextBase64 != base64.StdEncoding.EncodeToString([]byte(plain)) {
					t.Fatalf("plain_text_base64: %v %v", resp, err)
				}
			})
		}
		t.Run(spec+"/aad", func(t *testing.T) {
			aad := ptr(strings.Repeat("a", 128))
			ct := encryptOK(t, c, "alias/sym-"+spec, "secret", "SYMMETRIC_DEFAULT", aad)
			decryptOK(t, c, ct, "", "", aad, "secret", id)
			_, err := c.DecryptData(decryptReq(t, ct, "", "", nil))
			wantErr(t, err, 400, "KMS.2201")
			_, err = c.DecryptData(decryptReq(t, ct, "", "", ptr("b")))
			wantErr(t, err, 400, "KMS.2201")
		})
	}
}

func TestEncryptDecryptAsymmetric(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	cases := []struct {
		spec, alg string
		max       int // longest plaintext
	}{
		{"RSA_2048", "RSAES_OAEP_SHA_256", 190}, {"RSA_2048", "RSAES_OAEP_SHA_1", 214},
		{"RSA_3072", "RSAES_OAEP_SHA_256", 318}, {"RSA_4096", "RSAES_OAEP_SHA_256", 446},
		{"SM2", "SM2_ENCRYPT", 4096},
	}
	ids := map[string]string{}
	for _, tc := range cases {
		if ids[tc.spec] == "" {
			ids[tc.spec] = newCryptoKey(t, c, "asym-"+tc.spec, tc.spec, "ENCRYPT_DECRYPT")
		}
		id := ids[tc.spec]
		t.Run(tc.spec+"/"+tc.alg, func(t *testing.T) {
			plain := strings.Repeat("p", tc.max)
			ct := encryptOK(t, c, id, plain, tc.alg, nil)
			decryptOK(t, c, ct, id, tc.alg, nil, plain, id)
			_, err := c.DecryptData(decryptReq(t, ct, "", tc.alg, nil))
			wantErr(t, err, 400, "KMS.0204")
			if tc.spec != "SM2" {
				_, err = c.EncryptData(encryptReq(t, id, plain+"p", tc.alg, nil))
				wantErr(t, err, 400, "KMS.2108")
			}
			_, err = c.EncryptData(encryptReq(t, id, "x", tc.alg, ptr("aad")))
			wantErr(t, err, 400, "KMS.0308")
			local := localEncrypt(t, nd, id, tc.alg, []byte("made by the test"))
			decryptOK(t, c, local, id, tc.alg, nil, "made by the test", id)
			bad, _ := base64.StdEncoding.DecodeString(local)
			bad[len(bad)/2] ^= 1
			_, err = c.DecryptData(decryptReq(t, base64.StdEncoding.EncodeToString(bad), id, tc.alg, nil))
			wantErr(t, err, 400, "KMS.0311")
		})
	}
}

// localEncrypt encrypts with the public key from get-publickey using the
// standard library (RSA-OAEP) or gmsm (SM2), as a client would.
func localEncrypt(t *testing.T, nd *node, id, alg string, plain []byte) string {
	t.Helper()
	resp, err := nd.client().ShowPublicKey(&model.ShowPublicKeyRequest{Body: operate(id)})
	if err != nil {
		t.Skipf("get-publickey is not available yet (%v); skipping the locally encrypted case", err)
	}
	block, _ := pem.Decode([]byte(*resp.PublicKey))
	if block == nil {
		t.Fatalf("public_key is not PEM: %q", *resp.PublicKey)
	}
	var ct []byte
	if alg == "SM2_ENCRYPT" {
		pub, err := smx509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		ct, err = sm2.EncryptASN1(rand.Reader, pub.(*ecdsa.PublicKey), plain)
		if err != nil {
			t.Fatal(err)
		}
		return base64.StdEncoding.EncodeToString(ct)
	}
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	var h hash.Hash = sha256.New()
	if alg == "RSAES_OAEP_SHA_1" {
		h = sha1.New()
	}
	ct, err = rsa.EncryptOAEP(h, rand.Reader, pub.(*rsa.PublicKey), plain, nil)
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(ct)
}
