package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// terraformAgent is the User-Agent of the Huawei Cloud Terraform provider,
// whose HTTP layer is golangsdk, not the official SDK.
const terraformAgent = "terraform-provider-iac golangsdk/2.0.0"

// TestTerraformAliasLifecycle replays the provider's huaweicloud_kms_alias
// exchanges (create, the read it polls, destroy) with its exact bodies and
// User-Agent, and checks the fields it reads: the read is an object with
// aliases[].alias and page_info.next_marker (PathSearch in the provider),
// not the array the official SDK decodes.
func TestTerraformAliasLifecycle(t *testing.T) {
	nd := startNode(t)
	key := createKey(t, nd.client(), "tf-aes-key", nil)
	tf := map[string]string{"User-Agent": terraformAgent}

	status, _, body := nd.do(http.MethodPost, kmsPath("aliases"), `{
  "alias": "alias/tf-alias",
  "key_id": "`+key+`"
}`, true, tf)
	if status != 201 || !strings.Contains(body, `"alias":"alias/tf-alias"`) {
		t.Fatalf("create alias: %d %s", status, body)
	}

	read := func() (aliases []string, next string) {
		t.Helper()
		status, _, body := nd.do(http.MethodGet, kmsPath("aliases")+"?key_id="+key+"&limit=50", "", true, tf)
		var obj struct {
			Aliases []struct {
				Alias string `json:"alias"`
				KeyID string `json:"key_id"`
			} `json:"aliases"`
			PageInfo *struct {
				NextMarker *string `json:"next_marker"`
			} `json:"page_info"`
		}
		if err := json.Unmarshal([]byte(body), &obj); status != 200 || err != nil || obj.PageInfo == nil || obj.PageInfo.NextMarker == nil {
			t.Fatalf("read aliases as Terraform: %d %s (%v)", status, body, err)
		}
		for _, a := range obj.Aliases {
			if a.KeyID != key {
				t.Fatalf("alias %s of key %s listed for key %s", a.Alias, a.KeyID, key)
			}
			aliases = append(aliases, a.Alias)
		}
		return aliases, *obj.PageInfo.NextMarker
	}
	if got, next := read(); strings.Join(got, ",") != "alias/tf-alias" || next != "" {
		t.Fatalf("after create: %v next %q", got, next)
	}

	status, _, body = nd.do(http.MethodDelete, kmsPath("aliases"), `{
  "aliases": [
    "alias/tf-alias"
  ],
  "key_id": "`+key+`"
}`, true, tf)
	if status != 204 {
		t.Fatalf("delete alias: %d %s", status, body)
	}
	if got, _ := read(); len(got) != 0 {
		t.Fatalf("after destroy: %v", got)
	}
}

// TestAliasListShapeFollowsClient: without format, official SDK agents get
// the array their model decodes, others the object; format and the header
// still choose explicitly.
func TestAliasListShapeFollowsClient(t *testing.T) {
	nd := startNode(t)
	key := createKey(t, nd.client(), "shape", nil)
	createAlias(nd, key, "alias/shape")
	for _, tc := range []struct {
		agent, query string
		array        bool
	}{
		{"huaweicloud-usdk-go/3.0", "", true},
		{"huaweicloud-usdk-python/3.0", "", true},
		{terraformAgent, "", false},
		{"curl/8.5.0", "", false},
		{"Go-http-client/1.1", "", false},
		{terraformAgent, "?format=array", true},
		{"huaweicloud-usdk-go/3.0", "?format=object", false},
	} {
		status, _, body := nd.do(http.MethodGet, kmsPath("aliases")+tc.query, "", true, map[string]string{"User-Agent": tc.agent})
		if isArray := strings.HasPrefix(strings.TrimSpace(body), "["); status != 200 || isArray != tc.array {
			t.Errorf("agent %q query %q: %d %s (want array %v)", tc.agent, tc.query, status, body, tc.array)
		}
	}
}
