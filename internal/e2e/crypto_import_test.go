package e2e

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"
)

// TestImportSymmetricLifecycle imports AES_256 and SM4 material wrapped in
// the test with rsa.EncryptOAEP, checks the parameters, encrypts, deletes
// the material, re-imports the SAME material (old ciphertexts decrypt
// again) and is refused DIFFERENT material with KMS.2606.
func TestImportSymmetricLifecycle(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	for spec, size := range map[string]int{"AES_256": 32, "SM4": 16} {
		t.Run(spec, func(t *testing.T) {
			id := newKey(t, c, spec, "", "external")
			p := mustParams(t, c, id)
			if want := nd.clock.Now().Add(24 * time.Hour).Unix(); p.expiry != want {
				t.Fatalf("expiration_time %d, want %d (24 h)", p.expiry, want)
			}
			if n := len(p.token); n < 200 || n > 6144 {
				t.Fatalf("import_token of %d chars", n)
			}
			material := bytes.Repeat([]byte{0x42}, size)
			expiry := nd.clock.Now().Add(48 * time.Hour).Unix()
			if err := importKey(c, importBody{id: id, token: p.token, material: p.oaep(t, material), expiry: &expiry}); err != nil {
				t.Fatalf("import: %v", err)
			}
			d := describe(t, c, id)
			if *d.KeyState != "2" || *d.ExpirationTime != strconv.FormatInt(expiry*1000, 10) {
				t.Fatalf("after import: state %s expiration_time %s", *d.KeyState, *d.ExpirationTime)
			}
			ct := encryptOK(t, c, id, "imported secret", "", nil)
			noErr(t, deleteMaterial(c, id))
			if d := describe(t, c, id); *d.KeyState != "5" {
				t.Fatalf("after delete: state %s", *d.KeyState)
			}
			_, err := c.EncryptData(encryptReq(t, id, "x", "", nil))
			wantErr(t, err, 400, "KMS.1301")
			noErr(t, importSymmetric(t, c, id, material, nil))
			decryptOK(t, c, ct, "", "", nil, "imported secret", id)
			noErr(t, deleteMaterial(c, id))
			err = importSymmetric(t, c, id, bytes.Repeat([]byte{0x43}, size), nil)
			wantErr(t, err, 400, "KMS.2606")
		})
	}
}

// importable maps each asymmetric spec to a generator of test-owned keys:
// the private key as PKCS#8 DER and its public key as SPKI DER.
var importable = map[string]func(t testing.TB) (pkcs8, spki []byte){
	"RSA_2048": func(t testing.TB) ([]byte, []byte) {
		return stdKey(t, must[*rsa.PrivateKey](t)(rsa.GenerateKey(rand.Reader, 2048)))
	},
	"RSA_3072": func(t testing.TB) ([]byte, []byte) {
		return stdKey(t, must[*rsa.PrivateKey](t)(rsa.GenerateKey(rand.Reader, 3072)))
	},
	"EC_P256": func(t testing.TB) ([]byte, []byte) {
		return stdKey(t, must[*ecdsa.PrivateKey](t)(ecdsa.GenerateKey(elliptic.P256(), rand.Reader)))
	},
	"EC_P384": func(t testing.TB) ([]byte, []byte) {
		return stdKey(t, must[*ecdsa.PrivateKey](t)(ecdsa.GenerateKey(elliptic.P384(), rand.Reader)))
	},
	"SECP256K1": func(t testing.TB) ([]byte, []byte) {
		k := must[*secp256k1.PrivateKey](t)(secp256k1.GeneratePrivateKey())
		return k1PKCS8(t, k), k1SPKI(t, k.PubKey())
	},
	"SM2": func(t testing.TB) ([]byte, []byte) {
		k := must[*sm2.PrivateKey](t)(sm2.GenerateKey(rand.Reader))
		return must[[]byte](t)(smx509.MarshalPKCS8PrivateKey(k)), must[[]byte](t)(smx509.MarshalPKIXPublicKey(&k.PublicKey))
	},
}

func stdKey(t testing.TB, k crypto.Signer) ([]byte, []byte) {
	return must[[]byte](t)(x509.MarshalPKCS8PrivateKey(k)), must[[]byte](t)(x509.MarshalPKIXPublicKey(k.Public()))
}

// TestImportAsymmetricEverySpec imports a private key the test generated
// (temporary AES key wrapped with RSA-OAEP, PKCS#8 wrapped with RFC 5649
// KWP via tink-go), then signs with kmsd and verifies with the key's own
// public half; get-publickey must return that public key, and the material
// cannot be deleted (KMS.2702).
func TestImportAsymmetricEverySpec(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	for spec, gen := range importable {
		t.Run(spec, func(t *testing.T) {
			t.Parallel()
			pkcs8, spki := gen(t)
			id := newKey(t, c, spec, "SIGN_VERIFY", "external")
			p := mustParams(t, c, id)
			temp := make([]byte, map[bool]int{true: 16, false: 32}[spec == "EC_P384"])
			rand.Read(temp)
			if err := importKey(c, importBody{id: id, token: p.token, material: p.oaep(t, temp), private: kwp(t, temp, pkcs8)}); err != nil {
				t.Fatalf("import: %v", err)
			}
			if got := publicKeyDER(t, c, id); !bytes.Equal(got, spki) {
				t.Fatal("get-publickey differs from the imported key's public half")
			}
			pub := parsePublic(t, spec, spki)
			alg := signAlgs[spec][0]
			msg := []byte("signed by an imported key")
			sig := must[[]byte](t)(signWith(t, c, id, alg, msg, true))
			if !verifyIndependently(t, spec, alg, pub, digestOf(t, alg, pub, msg), sig) {
				t.Fatal("kmsd signature does not verify with the imported key's own public key")
			}
			wantErr(t, deleteMaterial(c, id), 400, "KMS.2702")
		})
	}
}

// TestImportedMaterialExpiry lets imported material expire through the
// background job (injected clock): the key returns to pending import and
// the same material can be imported again.
func TestImportedMaterialExpiry(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	id := newKey(t, c, "AES_256", "", "external")
	material := bytes.Repeat([]byte{7}, 32)
	expiry := nd.clock.Now().Add(time.Hour).Unix()
	noErr(t, importSymmetric(t, c, id, material, &expiry))
	ct := encryptOK(t, c, id, "short-lived", "", nil)
	nd.clock.Advance(30 * time.Minute)
	nd.runJobs()
	if d := describe(t, c, id); *d.KeyState != "2" {
		t.Fatalf("before expiry: state %s", *d.KeyState)
	}
	nd.clock.Advance(31 * time.Minute)
	nd.runJobs()
	if d := describe(t, c, id); *d.KeyState != "5" || *d.ExpirationTime != "" {
		t.Fatalf("after expiry: state %s expiration_time %q", *d.KeyState, *d.ExpirationTime)
	}
	_, err := c.DecryptData(decryptReq(t, ct, "", "", nil))
	wantErr(t, err, 400, "KMS.1301")
	noErr(t, importSymmetric(t, c, id, material, nil))
	decryptOK(t, c, ct, "", "", nil, "short-lived", id)
}

// TestImportTokenSurvivesRestart: the token is self-contained and sealed
// under a stored secret, so a token issued before a restart still works.
func TestImportTokenSurvivesRestart(t *testing.T) {
	nd := startNode(t)
	id := newKey(t, nd.client(), "AES_256", "", "external")
	p := mustParams(t, nd.client(), id)
	nd.restart()
	c := nd.client()
	if err := importKey(c, importBody{id: id, token: p.token, material: p.oaep(t, make([]byte, 32))}); err != nil {
		t.Fatalf("import after restart: %v", err)
	}
	_, err := c.CreateParametersForImport(&model.CreateParametersForImportRequest{Body: &model.GetParametersForImportRequestBody{
		KeyId: id, WrappingAlgorithm: model.GetGetParametersForImportRequestBodyWrappingAlgorithmEnum().RSAES_OAEP_SHA_256}})
	wantErr(t, err, http.StatusBadRequest, "KMS.0310")
}
