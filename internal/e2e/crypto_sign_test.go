package e2e

import (
	"bytes"
	"net/http"
	"testing"

	kms "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"
)

// signAlgs lists every signing algorithm each signing spec accepts.
var signAlgs = map[string][]string{
	"RSA_2048":  rsaSignAlgs,
	"RSA_3072":  rsaSignAlgs,
	"RSA_4096":  rsaSignAlgs,
	"EC_P256":   {"ECDSA_SHA_256"},
	"EC_P384":   {"ECDSA_SHA_384"},
	"SECP256K1": {"ECDSA_SHA_256"},
	"SM2":       {"SM2DSA_SM3"},
}

var rsaSignAlgs = []string{
	"RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512",
	"RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
}

var signSpecs = []string{"RSA_2048", "RSA_3072", "RSA_4096", "EC_P256", "EC_P384", "SECP256K1", "SM2"}

// TestSignVerifyEverySpec signs RAW and DIGEST messages with every spec and
// algorithm through the SDK, verifies each signature with the public key
// from get-publickey in independent code (stdlib, gmsm, decred, openssl) and
// with kmsd's verify, which must answer "false" for another message and for
// a flipped byte.
func TestSignVerifyEverySpec(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	keys := keysFor(t, c, "SIGN_VERIFY", signSpecs...)
	msg := []byte("the quick brown fox jumps over the lazy dog")
	for _, spec := range signSpecs {
		id := keys[spec]
		der := publicKeyDER(t, c, id)
		pub := parsePublic(t, spec, der)
		for _, alg := range signAlgs[spec] {
			t.Run(spec+"/"+alg, func(t *testing.T) {
				t.Parallel()
				digest := digestOf(t, alg, pub, msg)
				rawSig := must[[]byte](t)(signWith(t, c, id, alg, msg, true))
				digSig := must[[]byte](t)(signWith(t, c, id, alg, digest, false))
				for name, sig := range map[string][]byte{"RAW": rawSig, "DIGEST": digSig} {
					if !verifyIndependently(t, spec, alg, pub, digest, sig) {
						t.Fatalf("%s signature does not verify independently", name)
					}
				}
				t.Run("openssl", func(t *testing.T) {
					requireOpenSSL(t)
					opensslVerify(t, alg, der, msg, rawSig)
				})
				checkKmsdVerify(t, c, id, alg, msg, rawSig, true)
				checkKmsdVerify(t, c, id, alg, digest, digSig, false)
			})
		}
	}
}

// checkKmsdVerify expects "true" for sig over msg and "false" for another
// message and for sig with one flipped byte.
func checkKmsdVerify(t *testing.T, c *kms.KmsClient, id, alg string, msg, sig []byte, raw bool) {
	t.Helper()
	other := bytes.Clone(msg)
	other[0] ^= 1
	flipped := bytes.Clone(sig)
	flipped[len(flipped)/2] ^= 0x40
	for name, tc := range map[string]struct {
		msg, sig []byte
		want     string
	}{
		"own signature": {msg, sig, "true"},
		"other message": {other, sig, "false"},
		"flipped byte":  {msg, flipped, "false"},
		"truncated":     {msg, sig[:len(sig)-1], "false"},
	} {
		got, err := verifyWith(t, c, id, alg, tc.msg, tc.sig, raw)
		if err != nil || got != tc.want {
			t.Fatalf("verify (%s, raw=%v): %q %v, want %q", name, raw, got, err, tc.want)
		}
	}
}

// TestSignRefusals covers every refusal of sign and verify through the SDK.
func TestSignRefusals(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	keys := keysFor(t, c, "SIGN_VERIFY", "RSA_2048", "EC_P256", "EC_P384", "SECP256K1", "SM2")
	enc := keysFor(t, c, "ENCRYPT_DECRYPT", "RSA_2048", "SM2", "AES_256")
	hmacKey := newKey(t, c, "HMAC_256", "", "")
	disabled, deleting := newKey(t, c, "EC_P256", "", ""), newKey(t, c, "EC_P256", "", "")
	disable(t, c, disabled)
	schedule(t, c, deleting)
	pendingImport := newKey(t, c, "EC_P256", "", "external")
	d32, d48 := bytes.Repeat([]byte{7}, 32), bytes.Repeat([]byte{7}, 48)
	for name, tc := range map[string]struct {
		id, alg string
		msg     []byte
		raw     bool
		status  int
		code    string
	}{
		"P256 with SHA-384":       {keys["EC_P256"], "ECDSA_SHA_384", d48, false, 400, "KMS.0332"},
		"P384 with SHA-256":       {keys["EC_P384"], "ECDSA_SHA_256", d32, false, 400, "KMS.0332"},
		"P256 with SHA-512":       {keys["EC_P256"], "ECDSA_SHA_512", d32, true, 400, "KMS.0332"},
		"secp256k1 with SHA-384":  {keys["SECP256K1"], "ECDSA_SHA_384", d48, false, 400, "KMS.0332"},
		"EC with RSA algorithm":   {keys["EC_P256"], "RSASSA_PSS_SHA_256", d32, false, 400, "KMS.0332"},
		"RSA with ECDSA":          {keys["RSA_2048"], "ECDSA_SHA_256", d32, false, 400, "KMS.0332"},
		"RSA with SM2DSA":         {keys["RSA_2048"], "SM2DSA_SM3", d32, false, 400, "KMS.0332"},
		"SM2 with ECDSA":          {keys["SM2"], "ECDSA_SHA_256", d32, false, 400, "KMS.0332"},
		"digest too short":        {keys["EC_P256"], "ECDSA_SHA_256", d32[:31], false, 400, "KMS.0329"},
		"digest of another hash":  {keys["RSA_2048"], "RSASSA_PSS_SHA_384", d32, false, 400, "KMS.0329"},
		"SM2 digest too long":     {keys["SM2"], "SM2DSA_SM3", d48, false, 400, "KMS.0329"},
		"RSA ENCRYPT_DECRYPT key": {enc["RSA_2048"], "RSASSA_PSS_SHA_256", d32, false, 400, "KMS.0334"},
		"SM2 ENCRYPT_DECRYPT key": {enc["SM2"], "SM2DSA_SM3", d32, false, 400, "KMS.0334"},
		"symmetric key":           {enc["AES_256"], "ECDSA_SHA_256", d32, false, 400, "KMS.1115"},
		"HMAC key":                {hmacKey, "ECDSA_SHA_256", d32, false, 400, "KMS.0341"},
		"disabled key":            {disabled, "ECDSA_SHA_256", d32, false, 400, "KMS.0209"},
		"pending deletion":        {deleting, "ECDSA_SHA_256", d32, false, 400, "KMS.0210"},
		"pending import":          {pendingImport, "ECDSA_SHA_256", d32, false, 400, "KMS.1301"},
		"unknown key":             {"0d0466b0-e727-4d9c-b35d-f84bb474a37f", "ECDSA_SHA_256", d32, false, 404, "KMS.0207"},
		"unknown alias":           {"alias/nope", "ECDSA_SHA_256", d32, false, 404, "KMS.0207"},
		"message of 4096 bytes":   {keys["EC_P256"], "ECDSA_SHA_256", make([]byte, 4096), true, 400, "KMS.0308"},
		"malformed key id":        {"not-a-key", "ECDSA_SHA_256", d32, false, 400, "KMS.0205"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := signWith(t, c, tc.id, tc.alg, tc.msg, tc.raw)
			wantErr(t, err, tc.status, tc.code)
			_, err = verifyWith(t, c, tc.id, tc.alg, tc.msg, make([]byte, 64), tc.raw)
			wantErr(t, err, tc.status, tc.code)
		})
	}
	t.Run("message of 4095 bytes", func(t *testing.T) {
		must[[]byte](t)(signWith(t, c, keys["EC_P256"], "ECDSA_SHA_256", make([]byte, 4095), true))
	})
	t.Run("alias reference", func(t *testing.T) {
		alias := "alias/asym-signer"
		must[*model.CreateAliasResponse](t)(c.CreateAlias(&model.CreateAliasRequest{
			Body: &model.CreateAliasRequestBody{KeyId: keys["EC_P256"], Alias: alias}}))
		sig := must[[]byte](t)(signWith(t, c, alias, "ECDSA_SHA_256", d32, false))
		if v, err := verifyWith(t, c, keys["EC_P256"], "ECDSA_SHA_256", d32, sig, false); v != "true" || err != nil {
			t.Fatalf("verify by id: %q %v", v, err)
		}
	})
}

// TestSignRawRefusals covers refusals the SDK cannot produce: malformed
// base64, unknown enum values, missing fields, wrong JSON types.
func TestSignRawRefusals(t *testing.T) {
	nd := startNode(t)
	id := newKey(t, nd.client(), "EC_P256", "", "")
	sig := `,"signature":"AAAA"`
	for name, tc := range map[string]struct{ action, body, code string }{
		"message not base64":   {"sign", `{"key_id":"` + id + `","message":"@@@","signing_algorithm":"ECDSA_SHA_256"}`, "KMS.0308"},
		"unknown algorithm":    {"sign", `{"key_id":"` + id + `","message":"AAAA","signing_algorithm":"ECDSA_SHA_1"}`, "KMS.0308"},
		"unknown message_type": {"sign", `{"key_id":"` + id + `","message":"AAAA","signing_algorithm":"ECDSA_SHA_256","message_type":"HASH"}`, "KMS.0308"},
		"missing message":      {"sign", `{"key_id":"` + id + `","signing_algorithm":"ECDSA_SHA_256"}`, "KMS.0204"},
		"missing algorithm":    {"sign", `{"key_id":"` + id + `","message":"AAAA"}`, "KMS.0204"},
		"missing key_id":       {"sign", `{"message":"AAAA","signing_algorithm":"ECDSA_SHA_256"}`, "KMS.0204"},
		"message as number":    {"sign", `{"key_id":"` + id + `","message":1,"signing_algorithm":"ECDSA_SHA_256"}`, "KMS.0214"},
		"bad sequence":         {"sign", `{"key_id":"` + id + `","message":"AAAA","signing_algorithm":"ECDSA_SHA_256","sequence":"1"}`, "KMS.0206"},
		"signature not base64": {"verify", `{"key_id":"` + id + `","message":"AAAA","signing_algorithm":"ECDSA_SHA_256","signature":"%%"}`, "KMS.0308"},
		"missing signature":    {"verify", `{"key_id":"` + id + `","message":"AAAA","signing_algorithm":"ECDSA_SHA_256"}`, "KMS.0204"},
		"verify bad type":      {"verify", `{"key_id":"` + id + `","message":"AAAA","signing_algorithm":"ECDSA_SHA_256","message_type":true` + sig + `}`, "KMS.0214"},
	} {
		t.Run(name, func(t *testing.T) {
			st, h, body := nd.do("POST", kmsPath(tc.action), tc.body, true, nil)
			wantRaw(t, st, h, body, http.StatusBadRequest, tc.code)
		})
	}
}
