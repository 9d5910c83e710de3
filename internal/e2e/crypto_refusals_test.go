package e2e

import (
	"encoding/base64"
	"strings"
	"testing"

	kms "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"
)

func TestEncryptRefusals(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	aes := newCryptoKey(t, c, "r-aes", "AES_256", "")
	rsaEnc := newCryptoKey(t, c, "r-rsa-enc", "RSA_2048", "ENCRYPT_DECRYPT")
	rsaSign := newCryptoKey(t, c, "r-rsa-sign", "RSA_2048", "SIGN_VERIFY")
	sm2Enc := newCryptoKey(t, c, "r-sm2-enc", "SM2", "ENCRYPT_DECRYPT")
	sm2Sign := newCryptoKey(t, c, "r-sm2-sign", "SM2", "")
	ec := newCryptoKey(t, c, "r-ec", "EC_P256", "")
	k1 := newCryptoKey(t, c, "r-k1", "SECP256K1", "")
	hmac := newCryptoKey(t, c, "r-hmac", "HMAC_256", "")
	for name, tc := range map[string]struct {
		id, plain, alg string
		aad            *string
		status         int
		code           string
	}{
		"sign key RSA":                 {rsaSign, "x", "RSAES_OAEP_SHA_256", nil, 400, "KMS.0335"},
		"sign key SM2":                 {sm2Sign, "x", "SM2_ENCRYPT", nil, 400, "KMS.0335"},
		"EC key":                       {ec, "x", "", nil, 400, "KMS.1114"},
		"SECP256K1 key":                {k1, "x", "", nil, 400, "KMS.1114"},
		"HMAC key":                     {hmac, "x", "", nil, 400, "KMS.0341"},
		"symmetric key, RSA algorithm": {aes, "x", "RSAES_OAEP_SHA_256", nil, 400, "KMS.2105"},
		"symmetric key, SM2 algorithm": {aes, "x", "SM2_ENCRYPT", nil, 400, "KMS.2105"},
		"RSA key, default algorithm":   {rsaEnc, "x", "", nil, 400, "KMS.2106"},
		"RSA key, SYMMETRIC_DEFAULT":   {rsaEnc, "x", "SYMMETRIC_DEFAULT", nil, 400, "KMS.2106"},
		"RSA key, SM2 algorithm":       {rsaEnc, "x", "SM2_ENCRYPT", nil, 400, "KMS.2106"},
		"SM2 key, RSA algorithm":       {sm2Enc, "x", "RSAES_OAEP_SHA_256", nil, 400, "KMS.2106"},
		"unknown algorithm":            {aes, "x", "AES_GCM", nil, 400, "KMS.0308"},
		"plaintext 4097 bytes":         {aes, strings.Repeat("x", 4097), "", nil, 400, "KMS.2108"},
		"plaintext 4097 UTF-8 bytes":   {aes, strings.Repeat("x", 4095) + "é", "", nil, 400, "KMS.2108"},
		"empty plaintext":              {aes, "", "", nil, 400, "KMS.0204"},
		"aad 129 bytes":                {aes, "x", "", ptr(strings.Repeat("a", 129)), 400, "KMS.0308"},
		"missing key id":               {"", "x", "", nil, 400, "KMS.0204"},
		"malformed key id":             {"not-a-key", "x", "", nil, 400, "KMS.0205"},
		"unknown key":                  {"0d0466b0-e727-4d9c-b35d-f84bb474a37f", "x", "", nil, 404, "KMS.0207"},
		"unknown alias":                {"alias/nope", "x", "", nil, 404, "KMS.0207"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := c.EncryptData(encryptReq(t, tc.id, tc.plain, tc.alg, tc.aad))
			wantErr(t, err, tc.status, tc.code)
		})
	}
}

func TestDecryptRefusals(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	aes := newCryptoKey(t, c, "d-aes", "AES_256", "")
	other := newCryptoKey(t, c, "d-other", "AES_256", "")
	sm4 := newCryptoKey(t, c, "d-sm4", "SM4", "")
	rsaEnc := newCryptoKey(t, c, "d-rsa", "RSA_2048", "ENCRYPT_DECRYPT")
	ct := encryptOK(t, c, aes, "payload!", "", ptr("aad")) // 148 bytes: base64 ends "=="
	raw, _ := base64.StdEncoding.DecodeString(ct)
	dek := createDatakey(t, c, aes, "", "256", nil)
	dekAsData := base64.StdEncoding.EncodeToString(mustHex(t, *dek.CipherText))
	for name, tc := range map[string]struct {
		ct, id, alg string
		aad         *string
		code        string
	}{
		"wrong aad":                  {ct, "", "", ptr("aaX"), "KMS.2201"},
		"missing aad":                {ct, "", "", nil, "KMS.2201"},
		"other key's id":             {ct, other, "", ptr("aad"), "KMS.2201"},
		"SM4 key's id":               {ct, sm4, "", ptr("aad"), "KMS.2201"},
		"data key envelope":          {dekAsData, "", "", nil, "KMS.2201"},
		"not base64":                 {"@@@@" + ct[4:], "", "", ptr("aad"), "KMS.2201"},
		"unpadded base64":            {strings.TrimRight(ct, "="), "", "", ptr("aad"), "KMS.2201"},
		"truncated":                  {base64.StdEncoding.EncodeToString(raw[:len(raw)-1]), "", "", ptr("aad"), "KMS.2201"},
		"extended":                   {base64.StdEncoding.EncodeToString(append(raw[:len(raw):len(raw)], 0)), "", "", ptr("aad"), "KMS.2201"},
		"too long":                   {strings.Repeat("A", 5652), "", "", nil, "KMS.2201"},
		"garbage":                    {base64.StdEncoding.EncodeToString(make([]byte, 200)), "", "", nil, "KMS.2201"},
		"empty":                      {"", "", "", nil, "KMS.0204"},
		"RSA key, SYMMETRIC_DEFAULT": {ct, rsaEnc, "", ptr("aad"), "KMS.2106"},
		"AES key, RSA algorithm":     {ct, aes, "RSAES_OAEP_SHA_256", nil, "KMS.2105"},
		"RSA garbage":                {base64.StdEncoding.EncodeToString(make([]byte, 256)), rsaEnc, "RSAES_OAEP_SHA_256", nil, "KMS.0311"},
		"unknown algorithm":          {ct, "", "X", nil, "KMS.0308"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := c.DecryptData(decryptReq(t, tc.ct, tc.id, tc.alg, tc.aad))
			wantErr(t, err, 400, tc.code)
		})
	}
	t.Run("every flipped byte", func(t *testing.T) {
		for i := range raw {
			bad := append([]byte(nil), raw...)
			bad[i] ^= 0x40
			_, err := c.DecryptData(decryptReq(t, base64.StdEncoding.EncodeToString(bad), "", "", ptr("aad")))
			if err == nil {
				t.Fatalf("byte %d flipped: decrypted", i)
			}
			wantErr(t, err, 400, "KMS.2201")
		}
	})
}

// TestCryptoKeyStates checks every symmetric action against disabled,
// pending-deletion and pending-import keys.
func TestCryptoKeyStates(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	disabled := newCryptoKey(t, c, "s-disabled", "AES_256", "")
	deleting := newCryptoKey(t, c, "s-deleting", "AES_256", "")
	ext, err := c.CreateKey(&model.CreateKeyRequest{Body: &model.CreateKeyRequestBody{KeyAlias: "s-external",
		Origin: ptr(model.GetCreateKeyRequestBodyOriginEnum().EXTERNAL)}})
	if err != nil {
		t.Fatal(err)
	}
	cts, deks := map[string]string{}, map[string]string{}
	for _, id := range []string{disabled, deleting} {
		cts[id] = encryptOK(t, c, id, "x", "", nil)
		deks[id] = *createDatakey(t, c, id, "", "", nil).CipherText
	}
	if _, err := c.DisableKey(&model.DisableKeyRequest{Body: operate(disabled)}); err != nil {
		t.Fatal(err)
	}
	if _, err := scheduleDeletion(c, deleting, "7"); err != nil {
		t.Fatal(err)
	}
	for id, code := range map[string]string{disabled: "KMS.0209", deleting: "KMS.0210", *ext.KeyInfo.KeyId: "KMS.1301"} {
		for action, call := range stateCalls(t, c, id, cts[id], deks[id]) {
			t.Run(code+"/"+action, func(t *testing.T) {
				wantErr(t, call(), 400, code)
			})
		}
	}
}

// stateCalls are the symmetric actions on key id (ct and dek are
// ciphertexts made by it, or empty for a key that never had material).
func stateCalls(t *testing.T, c *kms.KmsClient, id, ct, dek string) map[string]func() error {
	if ct == "" {
		ct = base64.StdEncoding.EncodeToString(make([]byte, 200))
		dek = strings.Repeat("00", 200)
	}
	digest := strings.Repeat("00", 32+32)
	return map[string]func() error{
		"encrypt-data": func() error { _, err := c.EncryptData(encryptReq(t, id, "x", "", nil)); return err },
		"decrypt-data": func() error { _, err := c.DecryptData(decryptReq(t, ct, id, "", nil)); return err },
		"create-datakey": func() error {
			_, err := c.CreateDatakey(&model.CreateDatakeyRequest{Body: &model.CreateDatakeyRequestBody{KeyId: id}})
			return err
		},
		"create-datakey-without-plaintext": func() error {
			_, err := c.CreateDatakeyWithoutPlaintext(&model.CreateDatakeyWithoutPlaintextRequest{Body: &model.CreateDatakeyRequestBody{KeyId: id}})
			return err
		},
		"encrypt-datakey": func() error {
			_, err := c.EncryptDatakey(&model.EncryptDatakeyRequest{Body: &model.EncryptDatakeyRequestBody{KeyId: id, PlainText: digest, DatakeyPlainLength: "32"}})
			return err
		},
		"decrypt-datakey": func() error {
			_, err := c.DecryptDatakey(&model.DecryptDatakeyRequest{Body: &model.DecryptDatakeyRequestBody{KeyId: id, CipherText: dek, DatakeyCipherLength: "32"}})
			return err
		},
	}
}
