package e2e

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"hash"
	"net/http"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm3"
	kms "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"
)

// macKeys are seeded HMAC keys with known material, so the test can compute
// every MAC independently.
var macKeys = []struct {
	id, spec, alg string
	size          int
	hash          func() hash.Hash
}{
	{"7a000000-0000-4000-8000-000000000256", "HMAC_256", "HMAC_SHA_256", 32, sha256.New},
	{"7a000000-0000-4000-8000-000000000384", "HMAC_384", "HMAC_SHA_384", 48, sha512.New384},
	{"7a000000-0000-4000-8000-000000000512", "HMAC_512", "HMAC_SHA_512", 64, sha512.New},
	{"7a000000-0000-4000-8000-000000000003", "HMAC_SM3", "HMAC_SM3", 32, sm3.New},
}

// macMaterial is the fixed material of a seeded key of size bytes.
func macMaterial(size int) []byte { return bytes.Repeat([]byte{0x5c, 0x36, 0xa7}, size)[:size] }

func macSeed() string {
	var b strings.Builder
	b.WriteString("accounts:\n  - name: admin\n    projects:\n      - name: local-1\n        keys:\n")
	for _, k := range macKeys {
		b.WriteString("          - id: " + k.id + "\n            alias: seeded-" + strings.ToLower(k.spec) +
			"\n            spec: " + k.spec + "\n            material: " + hex.EncodeToString(macMaterial(k.size)) + "\n")
	}
	return b.String()
}

func generateMAC(t testing.TB, c *kms.KmsClient, id, alg string, msg []byte) (*model.GenerateMacResponse, error) {
	return c.GenerateMac(&model.GenerateMacRequest{Body: &model.GenerateMacRequestBody{
		KeyId: id, MacAlgorithm: sdkEnum[model.GenerateMacRequestBodyMacAlgorithm](t, alg), Message: b64(msg)}})
}

func verifyMAC(t testing.TB, c *kms.KmsClient, id, alg string, msg []byte, mac string) (bool, error) {
	resp, err := c.VerifyMac(&model.VerifyMacRequest{Body: &model.VerifyMacRequestBody{
		KeyId: id, MacAlgorithm: sdkEnum[model.VerifyMacRequestBodyMacAlgorithm](t, alg), Message: b64(msg), Mac: mac}})
	if err != nil {
		return false, err
	}
	if *resp.KeyId != id || *resp.MacAlgorithm != alg {
		t.Fatalf("verify-mac echoed %s/%s", *resp.KeyId, *resp.MacAlgorithm)
	}
	return *resp.MacValid, nil
}

// TestMACEverySpec computes MACs with every HMAC spec and compares them
// with crypto/hmac (SHA-2) and gmsm (SM3) over the seeded material; verify-mac
// accepts them in either hex case and refuses altered MACs and messages.
func TestMACEverySpec(t *testing.T) {
	nd := startNode(t, withSeed(t, macSeed()))
	c := nd.client()
	for _, k := range macKeys {
		t.Run(k.spec, func(t *testing.T) {
			for _, msg := range [][]byte{[]byte("testabcdefg"), {0}, bytes.Repeat([]byte{0xff}, 4096)} {
				resp := must[*model.GenerateMacResponse](t)(generateMAC(t, c, k.id, k.alg, msg))
				h := hmac.New(k.hash, macMaterial(k.size))
				h.Write(msg)
				want := hex.EncodeToString(h.Sum(nil))
				if *resp.Mac != want || *resp.KeyId != k.id || *resp.MacAlgorithm != k.alg {
					t.Fatalf("generate-mac = %s %s %s, want MAC %s", *resp.KeyId, *resp.MacAlgorithm, *resp.Mac, want)
				}
				checkVerifyMAC(t, c, k.id, k.alg, msg, want)
			}
		})
	}
	t.Run("generated HMAC_512 key", func(t *testing.T) {
		id := newKey(t, c, "HMAC_512", "", "")
		resp := must[*model.GenerateMacResponse](t)(generateMAC(t, c, id, "HMAC_SHA_512", []byte("x")))
		if len(*resp.Mac) != 128 {
			t.Fatalf("mac %q", *resp.Mac)
		}
		checkVerifyMAC(t, c, id, "HMAC_SHA_512", []byte("x"), *resp.Mac)
	})
}

func checkVerifyMAC(t *testing.T, c *kms.KmsClient, id, alg string, msg []byte, mac string) {
	t.Helper()
	first := byte('0')
	if mac[0] == '0' {
		first = '1'
	}
	other := bytes.Clone(msg)
	other[0] ^= 1
	for name, tc := range map[string]struct {
		msg  []byte
		mac  string
		want bool
	}{
		"own MAC":       {msg, mac, true},
		"upper case":    {msg, strings.ToUpper(mac), true},
		"flipped digit": {msg, string(first) + mac[1:], false},
		"truncated":     {msg, mac[:len(mac)-2], false},
		"other message": {other, mac, false},
	} {
		got, err := verifyMAC(t, c, id, alg, tc.msg, tc.mac)
		if err != nil || got != tc.want {
			t.Fatalf("verify-mac %s: %v %v, want %v", name, got, err, tc.want)
		}
	}
}

// TestMACRefusals covers every refusal of generate-mac and verify-mac.
func TestMACRefusals(t *testing.T) {
	nd := startNode(t, withSeed(t, macSeed()))
	c := nd.client()
	keys := keysFor(t, c, "", "AES_256", "RSA_2048", "EC_P256", "SM2")
	disabled, deleting := newKey(t, c, "HMAC_256", "", ""), newKey(t, c, "HMAC_256", "", "")
	disable(t, c, disabled)
	schedule(t, c, deleting)
	h256 := macKeys[0].id
	for name, tc := range map[string]struct {
		id, alg string
		msg     []byte
		status  int
		code    string
	}{
		"HMAC_256 with SHA-384": {h256, "HMAC_SHA_384", []byte("m"), 400, "KMS.0332"},
		"HMAC_SM3 with SHA-256": {macKeys[3].id, "HMAC_SHA_256", []byte("m"), 400, "KMS.0332"},
		"HMAC_512 with SM3":     {macKeys[2].id, "HMAC_SM3", []byte("m"), 400, "KMS.0332"},
		"AES key":               {keys["AES_256"], "HMAC_SHA_256", []byte("m"), 400, "KMS.0331"},
		"RSA key":               {keys["RSA_2048"], "HMAC_SHA_256", []byte("m"), 400, "KMS.0325"},
		"EC key":                {keys["EC_P256"], "HMAC_SHA_256", []byte("m"), 400, "KMS.0325"},
		"SM2 key":               {keys["SM2"], "HMAC_SM3", []byte("m"), 400, "KMS.0325"},
		"disabled":              {disabled, "HMAC_SHA_256", []byte("m"), 400, "KMS.0209"},
		"pending deletion":      {deleting, "HMAC_SHA_256", []byte("m"), 400, "KMS.0210"},
		"message of 4097 bytes": {h256, "HMAC_SHA_256", make([]byte, 4097), 400, "KMS.0308"},
		"empty message":         {h256, "HMAC_SHA_256", nil, 400, "KMS.0204"},
		"unknown key":           {"0d0466b0-e727-4d9c-b35d-f84bb474a37f", "HMAC_SHA_256", []byte("m"), 404, "KMS.0207"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := generateMAC(t, c, tc.id, tc.alg, tc.msg)
			wantErr(t, err, tc.status, tc.code)
			_, err = verifyMAC(t, c, tc.id, tc.alg, tc.msg, strings.Repeat("00", 32))
			wantErr(t, err, tc.status, tc.code)
		})
	}
	for name, tc := range map[string]struct{ action, body, code string }{
		"mac not hex":       {"verify-mac", `{"key_id":"` + h256 + `","mac_algorithm":"HMAC_SHA_256","message":"AAAA","mac":"xyz"}`, "KMS.0308"},
		"missing mac":       {"verify-mac", `{"key_id":"` + h256 + `","mac_algorithm":"HMAC_SHA_256","message":"AAAA"}`, "KMS.0204"},
		"unknown algorithm": {"generate-mac", `{"key_id":"` + h256 + `","mac_algorithm":"HMAC_MD5","message":"AAAA"}`, "KMS.0308"},
		"message not b64":   {"generate-mac", `{"key_id":"` + h256 + `","mac_algorithm":"HMAC_SHA_256","message":"A"}`, "KMS.0308"},
	} {
		t.Run(name, func(t *testing.T) {
			st, h, body := nd.do("POST", kmsPath(tc.action), tc.body, true, nil)
			wantRaw(t, st, h, body, http.StatusBadRequest, tc.code)
		})
	}
}
