package e2e

import (
	"encoding/json"
	"strings"
	"testing"
)

// rawCrypto posts body to action and decodes a 200 response into out.
func rawCrypto(t *testing.T, nd *node, action, body string, out any) {
	t.Helper()
	status, _, resp := nd.do("POST", kmsPath(action), body, true, map[string]string{"Content-Type": "application/json"})
	if status != 200 {
		t.Fatalf("%s %s: HTTP %d %s", action, body, status, resp)
	}
	if err := json.Unmarshal([]byte(resp), out); err != nil {
		t.Fatal(err)
	}
}

// TestEncryptionContext checks the legacy encryption_context: an object is
// canonicalised (sorted keys, compact JSON), a string is used as is, and
// either is interchangeable with the same additional_authenticated_data.
func TestEncryptionContext(t *testing.T) {
	nd := startNode(t)
	id := newCryptoKey(t, nd.client(), "ctx", "AES_256", "")
	var enc struct {
		CipherText string `json:"cipher_text"`
	}
	rawCrypto(t, nd, "encrypt-data", `{"key_id":"`+id+`","plain_text":"hi","encryption_context":{"b":"2","a":"<1>"}}`, &enc)
	for name, ctx := range map[string]string{
		"same object, other order": `"encryption_context":{"a":"<1>","b":"2"}`,
		"canonical string":         `"encryption_context":"{\"a\":\"<1>\",\"b\":\"2\"}"`,
		"as aad":                   `"additional_authenticated_data":"{\"a\":\"<1>\",\"b\":\"2\"}"`,
	} {
		t.Run(name, func(t *testing.T) {
			var dec struct {
				PlainText string `json:"plain_text"`
			}
			rawCrypto(t, nd, "decrypt-data", `{"cipher_text":"`+enc.CipherText+`",`+ctx+`}`, &dec)
			if dec.PlainText != "hi" {
				t.Fatalf("got %q", dec.PlainText)
			}
		})
	}
	var dk struct {
		CipherText string `json:"cipher_text"`
	}
	rawCrypto(t, nd, "create-datakey", `{"key_id":"`+id+`","datakey_length":512,"encryption_context":"tenant=7"}`, &dk)
	var got struct {
		DatakeyLength string `json:"datakey_length"`
	}
	rawCrypto(t, nd, "decrypt-datakey", `{"key_id":"`+id+`","cipher_text":"`+dk.CipherText+`","datakey_cipher_length":"64","additional_authenticated_data":"tenant=7"}`, &got)
	if got.DatakeyLength != "64" {
		t.Fatalf("datakey_length %q", got.DatakeyLength)
	}
	status, h, body := nd.do("POST", kmsPath("decrypt-datakey"), `{"key_id":"`+id+`","cipher_text":"`+dk.CipherText+`","datakey_cipher_length":"64"}`, true, nil)
	wantRaw(t, status, h, body, 400, "KMS.2201")

	for name, ctx := range map[string]string{
		"number":           `1`,
		"array":            `["a"]`,
		"non-string":       `{"a":1}`,
		"nested":           `{"a":{"b":"c"}}`,
		"duplicate key":    `{"a":"1","a":"2"}`,
		"too long":         `"` + strings.Repeat("x", 8193) + `"`,
		"with aad as well": `"x","additional_authenticated_data":"y"`,
	} {
		t.Run("refused/"+name, func(t *testing.T) {
			status, h, body := nd.do("POST", kmsPath("encrypt-data"), `{"key_id":"`+id+`","plain_text":"hi","encryption_context":`+ctx+`}`, true, nil)
			wantRaw(t, status, h, body, 400, "KMS.0208")
		})
	}
}

// TestSymmetricRawTypes checks JSON types the SDK cannot send: numbers for
// the length fields are accepted, wrong types are KMS.0214 (unknown fields:
// strict_test.go).
func TestSymmetricRawTypes(t *testing.T) {
	nd := startNode(t)
	var r struct {
		RandomData string `json:"random_data"`
	}
	rawCrypto(t, nd, "gen-random", `{"random_data_length":64}`, &r)
	if len(r.RandomData) != 16 {
		t.Fatalf("random_data %q", r.RandomData)
	}
	for action, body := range map[string]string{
		"encrypt-data": `{"key_id":"alias/x","plain_text":5}`,
		"decrypt-data": `{"cipher_text":true}`,
		"gen-random":   `{"random_data_length":{}}`,
	} {
		status, h, resp := nd.do("POST", kmsPath(action), body, true, nil)
		wantRaw(t, status, h, resp, 400, "KMS.0214")
	}
}
