package e2e

import (
	"strings"
	"testing"
)

// TestBadInput sends what no SDK would: every case must get a 4xx with a KMS
// error body and a request id, never a 5xx, and must not change anything.
func TestBadInput(t *testing.T) {
	nd := startNode(t)
	id := createKey(t, nd.client(), "victim", nil)
	desc := kmsPath("update-key-description")
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		code                     string
	}{
		{"malformed JSON", "POST", desc, `{"key_id":`, 400, "KMS.0202"},
		{"not an object", "POST", desc, `["key_id"]`, 400, "KMS.0214"},
		{"trailing garbage", "POST", desc, `{"key_id":"` + id + `","key_description":"x"} {}`, 400, "KMS.0202"},
		{"number where a string belongs", "POST", desc, `{"key_id":"` + id + `","key_description":5}`, 400, "KMS.0214"},
		{"null key_id", "POST", desc, `{"key_id":null,"key_description":"x"}`, 400, "KMS.0204"},
		{"oversized body", "POST", desc, `{"key_description":"` + strings.Repeat("a", 70<<10) + `"}`, 400, "KMS.0203"},
		{"upper-case UUID", "POST", desc, `{"key_id":"` + strings.ToUpper(id) + `","key_description":"x"}`, 400, "KMS.0205"},
		{"wrong method", "GET", desc, ``, 405, "KMS.0215"},
		{"unknown action", "POST", kmsPath("make-coffee"), `{}`, 400, "KMS.0201"},
		{"unknown path", "GET", "/nope/nope", ``, 400, "KMS.0201"},
		{"list-keys limit as an object", "POST", kmsPath("list-keys"), `{"limit":{}}`, 400, "KMS.0214"},
		{"pending_days as a number", "POST", kmsPath("schedule-key-deletion"), `{"key_id":"` + id + `","pending_days":7}`, 400, "KMS.0214"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, h, b := nd.do(tc.method, tc.path, tc.body, true, nil)
			wantRaw(t, status, h, b, tc.status, tc.code)
		})
	}
	if d := describe(t, nd.client(), id); *d.KeyDescription != "" || *d.KeyState != "2" {
		t.Fatalf("bad input changed the key: %v", d)
	}
	t.Run("limit as a JSON number is accepted (Terraform sends numbers)", func(t *testing.T) {
		status, _, b := nd.do("POST", kmsPath("list-keys"), `{"limit":2000,"marker":0}`, true, nil)
		if status != 200 {
			t.Fatalf("%d %s", status, b)
		}
	})
}
