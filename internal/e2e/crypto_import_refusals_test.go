package e2e

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// flipToken changes one byte in the middle of a base64 token.
func flipToken(t testing.TB, token string) string {
	raw := must[[]byte](t)(base64.StdEncoding.DecodeString(token))
	raw[len(raw)/2] ^= 1
	return b64(raw)
}

// TestImportKeyMaterialRefusals covers every refusal of import-key-material
// through the SDK: key kind and state, token, expiry, material and private
// key checks.
func TestImportKeyMaterialRefusals(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	aes, other := newKey(t, c, "AES_256", "", "external"), newKey(t, c, "AES_256", "", "external")
	ec := newKey(t, c, "EC_P256", "", "external")
	kmsKey := newKey(t, c, "AES_256", "", "")
	pa, po, pe := mustParams(t, c, aes), mustParams(t, c, other), mustParams(t, c, ec)
	temp := bytes.Repeat([]byte{9}, 32)
	p384 := must[*ecdsa.PrivateKey](t)(ecdsa.GenerateKey(elliptic.P384(), rand.Reader))
	wrongCurve, _ := stdKey(t, p384)
	past, soon := nd.clock.Now().Add(-time.Second).Unix(), nd.clock.Now().Add(time.Hour).Unix()
	mat := pa.oaep(t, make([]byte, 32))
	for name, tc := range map[string]struct {
		b      importBody
		status int
		code   string
	}{
		"kms-origin key":           {importBody{id: kmsKey, token: pa.token, material: mat}, 400, "KMS.0309"},
		"token of another key":     {importBody{id: aes, token: po.token, material: po.oaep(t, make([]byte, 32))}, 400, "KMS.2603"},
		"tampered token":           {importBody{id: aes, token: flipToken(t, pa.token), material: mat}, 400, "KMS.2605"},
		"random token":             {importBody{id: aes, token: b64(make([]byte, 300)), material: mat}, 400, "KMS.2605"},
		"expiry in the past":       {importBody{id: aes, token: pa.token, material: mat, expiry: &past}, 400, "KMS.2602"},
		"16 bytes for AES_256":     {importBody{id: aes, token: pa.token, material: pa.oaep(t, make([]byte, 16))}, 400, "KMS.2604"},
		"other wrapping key":       {importBody{id: aes, token: pa.token, material: po.oaep(t, make([]byte, 32))}, 400, "KMS.0311"},
		"private key on symmetric": {importBody{id: aes, token: pa.token, material: mat, private: kwp(t, temp, wrongCurve)}, 400, "KMS.0308"},
		"private key missing":      {importBody{id: ec, token: pe.token, material: pe.oaep(t, temp)}, 400, "KMS.2608"},
		"private key wrong curve":  {importBody{id: ec, token: pe.token, material: pe.oaep(t, temp), private: kwp(t, temp, wrongCurve)}, 400, "KMS.2609"},
		"private key not wrapped":  {importBody{id: ec, token: pe.token, material: pe.oaep(t, temp), private: b64(bytes.Repeat([]byte{1}, 160))}, 400, "KMS.2609"},
		"temporary key 24 bytes":   {importBody{id: ec, token: pe.token, material: pe.oaep(t, make([]byte, 24)), private: kwp(t, temp, wrongCurve)}, 400, "KMS.2610"},
		"expiry on asymmetric":     {importBody{id: ec, token: pe.token, material: pe.oaep(t, temp), private: kwp(t, temp, wrongCurve), expiry: &soon}, 400, "KMS.0308"},
		"unknown key":              {importBody{id: "0d0466b0-e727-4d9c-b35d-f84bb474a37f", token: pa.token, material: mat}, 404, "KMS.0207"},
	} {
		t.Run(name, func(t *testing.T) {
			wantErr(t, importKey(c, tc.b), tc.status, tc.code)
		})
	}
	t.Run("expired token", func(t *testing.T) {
		nd.clock.Advance(24 * time.Hour)
		defer nd.clock.Advance(-24 * time.Hour)
		wantErr(t, importKey(c, importBody{id: aes, token: pa.token, material: mat}), 400, "KMS.2601")
	})
	t.Run("not pending import", func(t *testing.T) {
		noErr(t, importKey(c, importBody{id: aes, token: pa.token, material: mat}))
		wantErr(t, importKey(c, importBody{id: aes, token: pa.token, material: mat}), 400, "KMS.0310")
		_, err := getImportParams(t, c, aes)
		wantErr(t, err, 400, "KMS.0310")
		_, err = getImportParams(t, c, kmsKey)
		wantErr(t, err, 400, "KMS.0309")
	})
}

// TestImportRawRefusals covers what the SDK cannot send: malformed fields,
// other algorithms, expiration_time as a string (Terraform) and non-integers.
func TestImportRawRefusals(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	id := newKey(t, c, "AES_256", "", "external")
	p := mustParams(t, c, id)
	mat := p.oaep(t, make([]byte, 32))
	body := func(extra string) string {
		return `{"key_id":"` + id + `","import_token":"` + p.token + `","encrypted_key_material":"` + mat + `"` + extra + `}`
	}
	for name, tc := range map[string]struct{ action, body, code string }{
		"SM2_ENCRYPT wrapping":   {"get-parameters-for-import", `{"key_id":"` + id + `","wrapping_algorithm":"SM2_ENCRYPT"}`, "KMS.0308"},
		"PKCS1 wrapping":         {"get-parameters-for-import", `{"key_id":"` + id + `","wrapping_algorithm":"RSAES_PKCS1_V1_5"}`, "KMS.0308"},
		"missing wrapping":       {"get-parameters-for-import", `{"key_id":"` + id + `"}`, "KMS.0204"},
		"alias as key_id":        {"get-parameters-for-import", `{"key_id":"alias/x","wrapping_algorithm":"RSAES_OAEP_SHA_256"}`, "KMS.0205"},
		"short token":            {"import-key-material", `{"key_id":"` + id + `","import_token":"AAAA","encrypted_key_material":"` + mat + `"}`, "KMS.2605"},
		"material not base64":    {"import-key-material", `{"key_id":"` + id + `","import_token":"` + p.token + `","encrypted_key_material":"` + strings.Repeat("*", 344) + `"}`, "KMS.0308"},
		"material too short":     {"import-key-material", `{"key_id":"` + id + `","import_token":"` + p.token + `","encrypted_key_material":"AAAA"}`, "KMS.0308"},
		"missing material":       {"import-key-material", `{"key_id":"` + id + `","import_token":"` + p.token + `"}`, "KMS.0204"},
		"expiry not an integer":  {"import-key-material", body(`,"expiration_time":"tomorrow"`), "KMS.0308"},
		"expiry fractional":      {"import-key-material", body(`,"expiration_time":1.5`), "KMS.0308"},
		"expiry after year 9999": {"import-key-material", body(`,"expiration_time":253402300800`), "KMS.0308"},
		"expiry as object":       {"import-key-material", body(`,"expiration_time":{}`), "KMS.0214"},
		"private key not b64":    {"import-key-material", body(`,"encrypted_privatekey":"@"`), "KMS.0308"},
	} {
		t.Run(name, func(t *testing.T) {
			st, h, b := nd.do("POST", kmsPath(tc.action), tc.body, true, nil)
			wantRaw(t, st, h, b, http.StatusBadRequest, tc.code)
		})
	}
	t.Run("expiry as a string", func(t *testing.T) {
		exp := nd.clock.Now().Add(time.Hour).Unix()
		st, _, b := nd.do("POST", kmsPath("import-key-material"), body(`,"expiration_time":"`+strconv.FormatInt(exp, 10)+`"`), true, nil)
		if st != 200 {
			t.Fatalf("status %d: %s", st, b)
		}
		if got := *describe(t, c, id).ExpirationTime; got != strconv.FormatInt(exp*1000, 10) {
			t.Fatalf("expiration_time %s, want %d000", got, exp)
		}
	})
}

// TestDeleteImportedMaterialRefusals covers delete-imported-key-material.
func TestDeleteImportedMaterialRefusals(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	pending := newKey(t, c, "AES_256", "", "external")
	kmsKey := newKey(t, c, "AES_256", "", "")
	deleting := newKey(t, c, "SM4", "", "external")
	noErr(t, importSymmetric(t, c, deleting, make([]byte, 16), nil))
	schedule(t, c, deleting)
	disabled := newKey(t, c, "AES_256", "", "external")
	noErr(t, importSymmetric(t, c, disabled, make([]byte, 32), nil))
	disable(t, c, disabled)
	for name, tc := range map[string]struct {
		id     string
		status int
		code   string
	}{
		"kms-origin key":   {kmsKey, 400, "KMS.0309"},
		"pending import":   {pending, 400, "KMS.2701"},
		"pending deletion": {deleting, 400, "KMS.2701"},
		"unknown key":      {"0d0466b0-e727-4d9c-b35d-f84bb474a37f", 404, "KMS.0207"},
	} {
		t.Run(name, func(t *testing.T) { wantErr(t, deleteMaterial(c, tc.id), tc.status, tc.code) })
	}
	t.Run("disabled key", func(t *testing.T) {
		noErr(t, deleteMaterial(c, disabled))
		if d := describe(t, c, disabled); *d.KeyState != "5" {
			t.Fatalf("state %s", *d.KeyState)
		}
	})
}
