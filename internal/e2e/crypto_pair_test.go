package e2e

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"net/http"
	"strings"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
	kms "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"
)

// pairResult is the common part of both pair responses.
type pairResult struct{ spec, public, cipher, plain *string }

// createPair calls create-rsa-datakey-pair or create-ec-datakey-pair.
func createPair(t testing.TB, c *kms.KmsClient, cmk, spec string, withPlain *bool, aad string) (pairResult, error) {
	var a *string
	if aad != "" {
		a = &aad
	}
	if strings.HasPrefix(spec, "RSA") {
		r, err := c.CreateRsaDatakeyPair(&model.CreateRsaDatakeyPairRequest{Body: &model.CreateRsaDatakeyPairRequestBody{
			KeyId: cmk, KeySpec: sdkEnum[model.CreateRsaDatakeyPairRequestBodyKeySpec](t, spec), WithPlainText: withPlain, AdditionalAuthenticatedData: a}})
		if err != nil {
			return pairResult{}, err
		}
		return pairResult{ptr(r.KeySpec.Value()), r.PublicKey, r.PrivateKeyCipherText, r.PrivateKeyPlainText}, nil
	}
	r, err := c.CreateEcDatakeyPair(&model.CreateEcDatakeyPairRequest{Body: &model.CreateEcDatakeyPairRequestBody{
		KeyId: cmk, KeySpec: sdkEnum[model.CreateEcDatakeyPairRequestBodyKeySpec](t, spec), WithPlainText: withPlain, AdditionalAuthenticatedData: a}})
	if err != nil {
		return pairResult{}, err
	}
	return pairResult{ptr(r.KeySpec.Value()), r.PublicKey, r.PrivateKeyCipherText, r.PrivateKeyPlainText}, nil
}

// publicOfPKCS8 parses a PKCS#8 private key independently of kmsd and
// returns its public half as SPKI DER.
func publicOfPKCS8(t testing.TB, spec string, der []byte) []byte {
	t.Helper()
	switch spec {
	case "SM2":
		k, err := smx509.ParsePKCS8PrivateKey(der)
		sk, ok := k.(*sm2.PrivateKey)
		if err != nil || !ok {
			t.Fatalf("SM2 PKCS#8: %T %v", k, err)
		}
		return must[[]byte](t)(smx509.MarshalPKIXPublicKey(&sk.PublicKey))
	case "ECC_SECG_P256K1":
		return k1SPKI(t, k1FromPKCS8(t, der).PubKey())
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		t.Fatalf("%s PKCS#8: %v", spec, err)
	}
	return must[[]byte](t)(x509.MarshalPKIXPublicKey(k.(crypto.Signer).Public()))
}

// k1FromPKCS8 reads a secp256k1 PKCS#8 (RFC 5915 ECPrivateKey inside).
func k1FromPKCS8(t testing.TB, der []byte) *secp256k1.PrivateKey {
	t.Helper()
	var p8 struct {
		Version    int
		Algo       pkix.AlgorithmIdentifier
		PrivateKey []byte
	}
	var ec struct {
		Version    int
		PrivateKey []byte
		Curve      asn1.ObjectIdentifier `asn1:"optional,explicit,tag:0"`
		PublicKey  asn1.BitString        `asn1:"optional,explicit,tag:1"`
	}
	var curve asn1.ObjectIdentifier
	if _, err := asn1.Unmarshal(der, &p8); err != nil {
		t.Fatalf("PKCS#8: %v", err)
	}
	if _, err := asn1.Unmarshal(p8.Algo.Parameters.FullBytes, &curve); err != nil || !curve.Equal(oidSecp256k1) {
		t.Fatalf("PKCS#8 curve %v %v", curve, err)
	}
	if _, err := asn1.Unmarshal(p8.PrivateKey, &ec); err != nil || len(ec.PrivateKey) != 32 {
		t.Fatalf("ECPrivateKey: %v", err)
	}
	return secp256k1.PrivKeyFromBytes(ec.PrivateKey)
}

// decryptData decrypts with the SDK and returns the plaintext bytes.
func decryptData(t testing.TB, c *kms.KmsClient, cmk, ct, aad string) ([]byte, error) {
	var a *string
	if aad != "" {
		a = &aad
	}
	r, err := c.DecryptData(&model.DecryptDataRequest{Body: &model.DecryptDataRequestBody{CipherText: ct, KeyId: &cmk, AdditionalAuthenticatedData: a}})
	if err != nil {
		return nil, err
	}
	return unb64(t, r.PlainTextBase64), nil
}

var pairSpecs = []string{"RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1", "SM2"}

// TestDataKeyPairsEverySpec makes a pair of every spec under AES_256 and SM4
// CMKs: the plaintext private key parses independently and matches the
// public key, and private_key_cipher_text decrypts with decrypt-data under
// the same CMK and AAD (and not with another AAD).
func TestDataKeyPairsEverySpec(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	cmks := keysFor(t, c, "", "AES_256", "SM4")
	for i, spec := range pairSpecs {
		cmkSpec := []string{"AES_256", "SM4"}[i%2]
		t.Run(spec+"/"+cmkSpec, func(t *testing.T) {
			t.Parallel()
			cmk := cmks[cmkSpec]
			p := must[pairResult](t)(createPair(t, c, cmk, spec, nil, "pair-aad"))
			pub := unb64(t, p.public)
			if *p.spec != spec || !bytes.Equal(publicOfPKCS8(t, spec, unb64(t, p.plain)), pub) {
				t.Fatalf("key_spec %s; private key does not match the public key", *p.spec)
			}
			plain := must[[]byte](t)(decryptData(t, c, cmk, *p.cipher, "pair-aad"))
			if !bytes.Equal(plain, unb64(t, p.plain)) {
				t.Fatal("decrypt-data of private_key_cipher_text differs from private_key_plain_text")
			}
			_, err := decryptData(t, c, cmk, *p.cipher, "other-aad")
			wantErr(t, err, http.StatusBadRequest, "KMS.2201")
		})
	}
	t.Run("without plaintext", func(t *testing.T) {
		p := must[pairResult](t)(createPair(t, c, cmks["AES_256"], "ECC_NIST_P256", ptr(false), ""))
		if p.plain != nil {
			t.Fatal("private_key_plain_text returned although with_plain_text is false")
		}
		priv := must[[]byte](t)(decryptData(t, c, cmks["AES_256"], *p.cipher, ""))
		if !bytes.Equal(publicOfPKCS8(t, "ECC_NIST_P256", priv), unb64(t, p.public)) {
			t.Fatal("decrypted private key does not match the public key")
		}
	})
}

// TestDataKeyPairRefusals covers the refusals of both pair actions.
func TestDataKeyPairRefusals(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	keys := keysFor(t, c, "", "AES_256", "RSA_2048", "EC_P256", "HMAC_256")
	disabled, deleting := newKey(t, c, "AES_256", "", ""), newKey(t, c, "AES_256", "", "")
	disable(t, c, disabled)
	schedule(t, c, deleting)
	for name, tc := range map[string]struct {
		cmk, spec, aad string
		code           string
	}{
		"RSA CMK":          {keys["RSA_2048"], "RSA_2048", "", "KMS.0325"},
		"EC CMK":           {keys["EC_P256"], "ECC_NIST_P256", "", "KMS.0325"},
		"HMAC CMK":         {keys["HMAC_256"], "SM2", "", "KMS.0341"},
		"disabled CMK":     {disabled, "RSA_2048", "", "KMS.0209"},
		"pending deletion": {deleting, "ECC_NIST_P384", "", "KMS.0210"},
		"AAD over 128":     {keys["AES_256"], "RSA_2048", strings.Repeat("a", 129), "KMS.0308"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := createPair(t, c, tc.cmk, tc.spec, nil, tc.aad)
			wantErr(t, err, http.StatusBadRequest, tc.code)
		})
	}
	aes := keys["AES_256"]
	for name, tc := range map[string]struct{ action, body, code string }{
		"RSA_1024":            {"create-rsa-datakey-pair", `{"key_id":"` + aes + `","key_spec":"RSA_1024"}`, "KMS.1902"},
		"EC spec on RSA":      {"create-rsa-datakey-pair", `{"key_id":"` + aes + `","key_spec":"ECC_NIST_P256"}`, "KMS.1902"},
		"RSA spec on EC":      {"create-ec-datakey-pair", `{"key_id":"` + aes + `","key_spec":"RSA_2048"}`, "KMS.1902"},
		"missing key_spec":    {"create-ec-datakey-pair", `{"key_id":"` + aes + `"}`, "KMS.0204"},
		"with_plain_text str": {"create-ec-datakey-pair", `{"key_id":"` + aes + `","key_spec":"SM2","with_plain_text":"false"}`, "KMS.0214"},
		"pin on EC":           {"create-ec-datakey-pair", `{"key_id":"` + aes + `","key_spec":"SM2","pin":"1234"}`, "KMS.0308"},
		"bad pin_type":        {"create-ec-datakey-pair", `{"key_id":"` + aes + `","key_spec":"SM2","pin_type":"Clear"}`, "KMS.0308"},
	} {
		t.Run(name, func(t *testing.T) {
			st, h, body := nd.do("POST", kmsPath(tc.action), tc.body, true, nil)
			wantRaw(t, st, h, body, http.StatusBadRequest, tc.code)
		})
	}
	t.Run("pin_type accepted", func(t *testing.T) {
		st, _, body := nd.do("POST", kmsPath("create-ec-datakey-pair"), `{"key_id":"`+aes+`","key_spec":"SM2","pin_type":"PlainText","with_plain_text":false}`, true, nil)
		if st != 200 || strings.Contains(body, "private_key_plain_text") {
			t.Fatalf("status %d body %s", st, body)
		}
	})
}
