package e2e

import (
	"encoding/hex"
	"strings"
	"testing"

	kms "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"
)

func reEncrypt(c *kms.KmsClient, b model.ReEncryptRequestBody) (*model.ReEncryptResponse, error) {
	return c.ReEncrypt(&model.ReEncryptRequest{Body: &b})
}

func TestReEncrypt(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	aes := newCryptoKey(t, c, "re-aes", "AES_256", "")
	sm4 := newCryptoKey(t, c, "re-sm4", "SM4", "")
	rsaEnc := newCryptoKey(t, c, "re-rsa", "RSA_2048", "ENCRYPT_DECRYPT")
	ec := newCryptoKey(t, c, "re-ec", "EC_P256", "")

	t.Run("data, symmetric to symmetric", func(t *testing.T) {
		ct := encryptOK(t, c, aes, "moving", "", ptr("src"))
		resp, err := reEncrypt(c, model.ReEncryptRequestBody{CipherText: ct, SourceAdditionalAuthenticatedData: ptr("src"),
			DestinationKeyId: sm4, DestinationAdditionalAuthenticatedData: ptr("dst")})
		if err != nil {
			t.Fatal(err)
		}
		if *resp.KeyId != sm4 || *resp.SourceKeyId != aes || *resp.SourceEncryptionAlgorithm != "SYMMETRIC_DEFAULT" ||
			*resp.DestinationEncryptionAlgorithm != "SYMMETRIC_DEFAULT" {
			t.Fatalf("%v", resp)
		}
		decryptOK(t, c, *resp.CipherText, "", "", ptr("dst"), "moving", sm4)
	})
	t.Run("data, symmetric to RSA and back", func(t *testing.T) {
		ct := encryptOK(t, c, aes, "moving", "", nil)
		resp, err := reEncrypt(c, model.ReEncryptRequestBody{CipherText: ct, SourceKeyId: &aes, DestinationKeyId: rsaEnc,
			DestinationEncryptionAlgorithm: ptr("RSAES_OAEP_SHA_256")})
		if err != nil {
			t.Fatal(err)
		}
		decryptOK(t, c, *resp.CipherText, rsaEnc, "RSAES_OAEP_SHA_256", nil, "moving", rsaEnc)
		back, err := reEncrypt(c, model.ReEncryptRequestBody{CipherText: *resp.CipherText, SourceKeyId: &rsaEnc,
			SourceEncryptionAlgorithm: ptr("RSAES_OAEP_SHA_256"), DestinationKeyId: aes})
		if err != nil {
			t.Fatal(err)
		}
		if *back.SourceEncryptionAlgorithm != "RSAES_OAEP_SHA_256" {
			t.Fatalf("%v", back)
		}
		decryptOK(t, c, *back.CipherText, "", "", nil, "moving", aes)
	})
	t.Run("data key envelope stays an envelope", func(t *testing.T) {
		dk := createDatakey(t, c, aes, "", "", ptr("src"))
		resp, err := reEncrypt(c, model.ReEncryptRequestBody{CipherText: strings.ToLower(*dk.CipherText),
			SourceAdditionalAuthenticatedData: ptr("src"), DestinationKeyId: sm4, DatakeyCipherLength: ptr("32")})
		if err != nil {
			t.Fatal(err)
		}
		got, err := decryptDatakey(c, sm4, *resp.CipherText, "32", nil)
		if err != nil || *got.DataKey != *dk.PlainText {
			t.Fatalf("decrypt-datakey of re-encrypted DEK: %v %v", got, err)
		}
	})
	dk := *createDatakey(t, c, aes, "", "", nil).CipherText
	ct := encryptOK(t, c, aes, "x", "", ptr("src"))
	for name, tc := range map[string]struct {
		body model.ReEncryptRequestBody
		code string
	}{
		"wrong source aad":          {model.ReEncryptRequestBody{CipherText: ct, DestinationKeyId: sm4}, "KMS.2201"},
		"source key mismatch":       {model.ReEncryptRequestBody{CipherText: ct, SourceKeyId: &sm4, SourceAdditionalAuthenticatedData: ptr("src"), DestinationKeyId: sm4}, "KMS.2201"},
		"no destination":            {model.ReEncryptRequestBody{CipherText: ct}, "KMS.0204"},
		"no cipher_text":            {model.ReEncryptRequestBody{DestinationKeyId: sm4}, "KMS.0204"},
		"EC destination":            {model.ReEncryptRequestBody{CipherText: ct, SourceAdditionalAuthenticatedData: ptr("src"), DestinationKeyId: ec}, "KMS.1114"},
		"RSA source without key":    {model.ReEncryptRequestBody{CipherText: ct, SourceEncryptionAlgorithm: ptr("RSAES_OAEP_SHA_256"), DestinationKeyId: sm4}, "KMS.0204"},
		"envelope to RSA":           {model.ReEncryptRequestBody{CipherText: dk, DestinationKeyId: rsaEnc, DestinationEncryptionAlgorithm: ptr("RSAES_OAEP_SHA_256")}, "KMS.0308"},
		"envelope to RSA key":       {model.ReEncryptRequestBody{CipherText: dk, DestinationKeyId: rsaEnc}, "KMS.0325"},
		"unknown algorithm":         {model.ReEncryptRequestBody{CipherText: ct, DestinationKeyId: sm4, DestinationEncryptionAlgorithm: ptr("X")}, "KMS.0308"},
		"dest aad too long":         {model.ReEncryptRequestBody{CipherText: ct, DestinationKeyId: sm4, DestinationAdditionalAuthenticatedData: ptr(strings.Repeat("a", 129))}, "KMS.0308"},
		"bad datakey_cipher_length": {model.ReEncryptRequestBody{CipherText: dk, DestinationKeyId: sm4, DatakeyCipherLength: ptr("0")}, "KMS.2202"},
		"garbage":                   {model.ReEncryptRequestBody{CipherText: hex.EncodeToString(make([]byte, 160)), DestinationKeyId: sm4}, "KMS.2201"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := reEncrypt(c, tc.body)
			wantErr(t, err, 400, tc.code)
		})
	}
}

func TestGenRandom(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	seen := map[string]bool{}
	for _, bits := range []string{"8", "256", "512", "8192"} {
		resp, err := c.CreateRandom(&model.CreateRandomRequest{Body: &model.GenRandomRequestBody{RandomDataLength: bits}})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(mustHex(t, *resp.RandomData)); itoa(8*n) != bits || seen[*resp.RandomData] {
			t.Fatalf("%s bits: %q", bits, *resp.RandomData)
		}
		seen[*resp.RandomData] = true
	}
	for bits, code := range map[string]string{"": "KMS.0204", "0": "KMS.1801", "4": "KMS.1801", "12": "KMS.1802",
		"8200": "KMS.1801", "8193": "KMS.1801", "-8": "KMS.1801", "eight": "KMS.1801"} {
		_, err := c.CreateRandom(&model.CreateRandomRequest{Body: &model.GenRandomRequestBody{RandomDataLength: bits}})
		wantErr(t, err, 400, code)
	}
}
