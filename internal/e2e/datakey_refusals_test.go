package e2e

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"testing"

	kms "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"
)

func TestEncryptDatakey(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	for _, cmk := range []string{"AES_256", "SM4"} {
		id := newCryptoKey(t, c, "edk-"+cmk, cmk, "")
		for _, n := range []int{1, 16, 32, 64, 1024} {
			dek := make([]byte, n)
			rand.Read(dek)
			plain := hex.EncodeToString(append(append([]byte(nil), dek...), dekDigest(cmk, dek)...)) // lower case in
			resp, err := encryptDatakey(c, id, plain, itoa(n))
			if err != nil {
				t.Fatalf("%s %d: %v", cmk, n, err)
			}
			if *resp.DatakeyLength != itoa(n) || *resp.KeyId != id || len(mustHex(t, *resp.CipherText)) != n+140 {
				t.Fatalf("%s %d: %v", cmk, n, resp)
			}
			got, err := decryptDatakey(c, id, *resp.CipherText, itoa(n), nil)
			if err != nil || *got.DataKey != strings.ToUpper(hex.EncodeToString(dek)) {
				t.Fatalf("%s %d: decrypt-datakey %v %v", cmk, n, got, err)
			}
		}
	}
}

func TestDatakeyRefusals(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	aes := newCryptoKey(t, c, "dr-aes", "AES_256", "")
	sm4 := newCryptoKey(t, c, "dr-sm4", "SM4", "")
	rsaEnc := newCryptoKey(t, c, "dr-rsa", "RSA_2048", "ENCRYPT_DECRYPT")
	ec := newCryptoKey(t, c, "dr-ec", "EC_P256", "")
	hmac := newCryptoKey(t, c, "dr-hmac", "HMAC_256", "")
	dek := make([]byte, 32)
	good := strings.Repeat("00", 32) + hex.EncodeToString(dekDigest("AES_256", dek))
	env := *createDatakey(t, c, aes, "", "", ptr("a")).CipherText
	dataCT, _ := base64.StdEncoding.DecodeString(encryptOK(t, c, aes, strings.Repeat("d", 32), "", nil))
	flipped := []byte(env)
	flipped[150] = "10"[min(1, int(flipped[150]-'0'))] // a GCM body nibble
	for name, call := range map[string]struct {
		code string
		err  func() error
	}{
		"create: bad key_spec":       {"KMS.1902", func() error { return createErr(t, c, aes, "AES_512", "") }},
		"create: 4 bits":             {"KMS.1901", func() error { return createErr(t, c, aes, "", "4") }},
		"create: 0 bits":             {"KMS.1901", func() error { return createErr(t, c, aes, "", "0") }},
		"create: 12 bits":            {"KMS.1903", func() error { return createErr(t, c, aes, "", "12") }},
		"create: 8200 bits":          {"KMS.1901", func() error { return createErr(t, c, aes, "", "8200") }},
		"no plaintext: 4 bits":       {"KMS.2001", func() error { return createNoPlainErr(t, c, aes, "4") }},
		"no plaintext: 12 bits":      {"KMS.2001", func() error { return createNoPlainErr(t, c, aes, "12") }},
		"no plaintext: not a number": {"KMS.2001", func() error { return createNoPlainErr(t, c, aes, "x") }},
		"no plaintext: bad key_spec": {"KMS.1902", func() error {
			_, err := c.CreateDatakeyWithoutPlaintext(&model.CreateDatakeyWithoutPlaintextRequest{Body: datakeyBody(t, aes, "AES_512", "", nil)})
			return err
		}},
		"create: not a number":     {"KMS.1901", func() error { return createErr(t, c, aes, "", "256 bits") }},
		"create: RSA key":          {"KMS.0325", func() error { return createErr(t, c, rsaEnc, "", "") }},
		"create: EC key":           {"KMS.0325", func() error { return createErr(t, c, ec, "", "") }},
		"create: HMAC key":         {"KMS.0341", func() error { return createErr(t, c, hmac, "", "") }},
		"encrypt: SHA-256 for SM4": {"KMS.2103", func() error { _, err := encryptDatakey(c, sm4, good, "32"); return err }},
		"encrypt: wrong digest":    {"KMS.2103", func() error { _, err := encryptDatakey(c, aes, strings.Repeat("00", 64), "32"); return err }},
		"encrypt: length mismatch": {"KMS.2104", func() error { _, err := encryptDatakey(c, aes, good, "31"); return err }},
		"encrypt: not hex":         {"KMS.2101", func() error { _, err := encryptDatakey(c, aes, "zz"+good[2:], "32"); return err }},
		"encrypt: odd hex":         {"KMS.2101", func() error { _, err := encryptDatakey(c, aes, good[1:], "32"); return err }},
		"encrypt: length 0":        {"KMS.2102", func() error { _, err := encryptDatakey(c, aes, good, "0"); return err }},
		"encrypt: length 1025":     {"KMS.2102", func() error { _, err := encryptDatakey(c, aes, good, "1025"); return err }},
		"encrypt: no length":       {"KMS.0204", func() error { _, err := encryptDatakey(c, aes, good, ""); return err }},
		"encrypt: no plain_text":   {"KMS.0204", func() error { _, err := encryptDatakey(c, aes, "", "32"); return err }},
		"encrypt: RSA key":         {"KMS.0325", func() error { _, err := encryptDatakey(c, rsaEnc, good, "32"); return err }},
		"decrypt: wrong aad":       {"KMS.2201", func() error { _, err := decryptDatakey(c, aes, env, "32", ptr("b")); return err }},
		"decrypt: tampered":        {"KMS.2201", func() error { _, err := decryptDatakey(c, aes, string(flipped), "32", ptr("a")); return err }},
		"decrypt: other key":       {"KMS.2201", func() error { _, err := decryptDatakey(c, sm4, env, "32", ptr("a")); return err }},
		"decrypt: data envelope":   {"KMS.2201", func() error { _, err := decryptDatakey(c, aes, hex.EncodeToString(dataCT), "32", nil); return err }},
		"decrypt: not hex":         {"KMS.2201", func() error { _, err := decryptDatakey(c, aes, "x"+env[1:], "32", ptr("a")); return err }},
		"decrypt: too long":        {"KMS.2201", func() error { _, err := decryptDatakey(c, aes, strings.Repeat("00", 1165), "", nil); return err }},
		"decrypt: length 0":        {"KMS.2202", func() error { _, err := decryptDatakey(c, aes, env, "0", ptr("a")); return err }},
		"decrypt: length x":        {"KMS.2202", func() error { _, err := decryptDatakey(c, aes, env, "x", ptr("a")); return err }},
		"decrypt: no cipher_text":  {"KMS.0204", func() error { _, err := decryptDatakey(c, aes, "", "32", nil); return err }},
		"decrypt: HMAC key":        {"KMS.0341", func() error { _, err := decryptDatakey(c, hmac, env, "32", ptr("a")); return err }},
	} {
		t.Run(name, func(t *testing.T) { wantErr(t, call.err(), 400, call.code) })
	}
}

func createErr(t *testing.T, c *kms.KmsClient, id, spec, length string) error {
	_, err := c.CreateDatakey(&model.CreateDatakeyRequest{Body: datakeyBody(t, id, spec, length, nil)})
	return err
}

// createNoPlainErr is create-datakey-without-plaintext with datakey_length.
func createNoPlainErr(t *testing.T, c *kms.KmsClient, id, length string) error {
	_, err := c.CreateDatakeyWithoutPlaintext(&model.CreateDatakeyWithoutPlaintextRequest{Body: datakeyBody(t, id, "", length, nil)})
	return err
}

func itoa(n int) string { return strconv.Itoa(n) }
