package e2e

import (
	"net/http"
	"testing"

	"github.com/kmsd/kmsd/internal/config"
)

// unknownFieldCases are bodies with fields the operations do not define:
// what golangsdk (Terraform) and gophertelekomcloud send, and typos.
func unknownFieldCases(key, mac string) []struct{ name, action, body string } {
	return []struct{ name, action, body string }{
		{"an unknown create-key field", "create-key", `{"key_alias":"unknown-field","key_colour":"red"}`},
		{"rotation_interval on get-key-rotation-status (gophertelekomcloud)", "get-key-rotation-status", `{"key_id":"` + key + `","rotation_interval":30}`},
		{"a typo next to a known field", "update-key-description", `{"key_id":"` + key + `","key_description":"set","colour":"red"}`},
		{"nested unknown", "create-datakey", `{"key_id":"` + key + `","datakey_length":"256","extra":{"a":[1,2]}}`},
		{"sequence where the model has none", "generate-mac", `{"key_id":"` + mac + `","mac_algorithm":"HMAC_SHA_256","message":"AAAA","sequence":"x"}`},
	}
}

// TestUnknownFieldsIgnored: by default, fields an operation does not define
// are ignored, as Huawei's service ignores them; wrong types on known
// fields stay errors.
func TestUnknownFieldsIgnored(t *testing.T) {
	nd := startNode(t)
	key := createKey(t, nd.client(), "tolerant", nil)
	mac := keysFor(t, nd.client(), "", "HMAC_256")["HMAC_256"]
	for _, tc := range unknownFieldCases(key, mac) {
		status, _, body := nd.do(http.MethodPost, kmsPath(tc.action), tc.body, true, nil)
		if status != 200 {
			t.Errorf("%s: %d %s", tc.name, status, body)
		}
	}
	if d := describe(t, nd.client(), key); *d.KeyDescription != "set" {
		t.Fatalf("the known field next to the unknown one was not applied: %q", *d.KeyDescription)
	}
	status, h, body := nd.do(http.MethodPost, kmsPath("update-key-description"), `{"key_id":"`+key+`","key_description":5,"colour":"red"}`, true, nil)
	wantRaw(t, status, h, body, 400, "KMS.0214")
}

// TestStrictRefusesUnknownFields: with strict on, the same bodies answer
// 400 KMS.0214 and change nothing.
func TestStrictRefusesUnknownFields(t *testing.T) {
	nd := startNode(t, func(c *config.Config) { c.Strict = true })
	key := createKey(t, nd.client(), "strict", nil)
	mac := keysFor(t, nd.client(), "", "HMAC_256")["HMAC_256"]
	for _, tc := range unknownFieldCases(key, mac) {
		status, h, body := nd.do(http.MethodPost, kmsPath(tc.action), tc.body, true, nil)
		wantRaw(t, status, h, body, 400, "KMS.0214")
	}
	if d := describe(t, nd.client(), key); *d.KeyDescription != "" {
		t.Fatalf("a refused body changed the key: %q", *d.KeyDescription)
	}
}

// TestCreateKeyRealm: golangsdk sends realm on create-key; the caller's
// region is accepted, any other answers 400 KMS.1102, in both modes.
func TestCreateKeyRealm(t *testing.T) {
	for _, strict := range []bool{false, true} {
		nd := startNode(t, func(c *config.Config) { c.Strict = strict })
		status, _, body := nd.do(http.MethodPost, kmsPath("create-key"), `{"key_alias":"tf-realm","realm":"`+testRegion+`"}`, true, nil)
		if status != 200 {
			t.Fatalf("strict %v, own realm: %d %s", strict, status, body)
		}
		status, h, body := nd.do(http.MethodPost, kmsPath("create-key"), `{"key_alias":"tf-realm-2","realm":"cn-north-4"}`, true, nil)
		wantRaw(t, status, h, body, 400, "KMS.1102")
	}
}
