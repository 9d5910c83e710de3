package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"

	"github.com/kmsd/kmsd/internal/testkit/sdktest"
)

func createAlias(nd *node, key, alias string) (*model.CreateAliasResponse, error) {
	return nd.client().CreateAlias(&model.CreateAliasRequest{Body: &model.CreateAliasRequestBody{KeyId: key, Alias: alias}})
}

func TestCreateAndUseAlias(t *testing.T) {
	nd := startNode(t, withSeed(t, defaultKeySeed))
	c := nd.client()
	id := createKey(t, c, "aliased", nil)
	a, err := createAlias(nd, id, "alias/app-key")
	if err != nil {
		t.Fatal(err)
	}
	domain := nd.n.Bootstrap.DomainID
	if a.HttpStatusCode != 201 || *a.KeyId != id || *a.Alias != "alias/app-key" || *a.DomainId != domain ||
		*a.AliasUrn != "kms:"+testRegion+":"+domain+":alias:app-key" {
		t.Fatalf("create-alias: %v", a)
	}
	if _, err := time.Parse(time.RFC3339, *a.CreateTime); err != nil || !strings.HasSuffix(*a.UpdateTime, "Z") {
		t.Errorf("times %q %q are not ISO-8601 UTC", *a.CreateTime, *a.UpdateTime)
	}
	// The alias and its URN work wherever a key id does.
	for _, ref := range []string{"alias/app-key", *a.AliasUrn} {
		if d := describe(t, c, ref); *d.KeyId != id {
			t.Errorf("describe-key %s: %s", ref, *d.KeyId)
		}
		ct := encryptRaw(t, nd, ref, "via alias")
		checkDecrypts(t, nd, map[string]string{"via alias": ct})
		if st := rotationStatus(t, c, ref); *st.RotationInterval != 365 {
			t.Errorf("rotation status via %s: %v", ref, st)
		}
	}
	for name, tc := range map[string]struct {
		key, alias string
		status     int
		code       string
	}{
		"duplicate":         {id, "alias/app-key", 400, "KMS.1104"},
		"duplicate case ok": {id, "alias/App-key", 201, ""},
		"no prefix":         {id, "app-key", 400, "KMS.1101"},
		"prefix only":       {id, "alias/", 400, "KMS.1101"},
		"default suffix":    {id, "alias/obs/default", 400, "KMS.1101"},
		"bad char":          {id, "alias/a b", 400, "KMS.1101"},
		"too long":          {id, "alias/" + strings.Repeat("a", 250), 400, "KMS.1101"},
		"max length":        {id, "alias/" + strings.Repeat("a", 249), 201, ""},
		"empty":             {id, "", 400, "KMS.0204"},
		"unknown key":       {"00000000-0000-4000-8000-000000000000", "alias/x", 404, "KMS.0207"},
		"bad key id":        {"nope", "alias/x", 400, "KMS.0205"},
		"default key":       {defaultKeyID, "alias/d", 400, "KMS.0211"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := createAlias(nd, tc.key, tc.alias)
			if tc.status == 201 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantErr(t, err, tc.status, tc.code)
		})
	}
}

func TestAliasLimitPerKey(t *testing.T) {
	nd := startNode(t)
	id := createKey(t, nd.client(), "crowded", nil)
	other := createKey(t, nd.client(), "other", nil)
	for i := range 50 {
		if _, err := createAlias(nd, id, fmt.Sprintf("alias/a%02d", i)); err != nil {
			t.Fatal(err)
		}
	}
	_, err := createAlias(nd, id, "alias/one-too-many")
	wantErr(t, err, 400, "KMS.1106")
	if _, err := createAlias(nd, other, "alias/elsewhere"); err != nil {
		t.Fatal(err)
	}
	_, err = nd.client().AssociateAlias(&model.AssociateAliasRequest{Body: &model.AssociateAliasRequestBody{Alias: "alias/elsewhere", TargetKeyId: id}})
	wantErr(t, err, 400, "KMS.1106")
	// Re-associating an alias with its own key does not count twice.
	if _, err := nd.client().AssociateAlias(&model.AssociateAliasRequest{Body: &model.AssociateAliasRequestBody{Alias: "alias/a00", TargetKeyId: id}}); err != nil {
		t.Fatal(err)
	}
}

func TestListAliases(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	k1, k2 := createKey(t, c, "k1", nil), createKey(t, c, "k2", nil)
	for _, a := range []string{"alias/c", "alias/a", "alias/b"} {
		must[*model.CreateAliasResponse](t)(createAlias(nd, k1, a))
	}
	must[*model.CreateAliasResponse](t)(createAlias(nd, k2, "alias/z"))
	list := func(req model.ListAliasesRequest) model.ListAliasResponseBody {
		t.Helper()
		resp := must[*model.ListAliasesResponse](t)(c.ListAliases(&req))
		if resp.Body == nil || len(*resp.Body) != 1 {
			t.Fatalf("list-aliases body: %v", resp.Body)
		}
		return (*resp.Body)[0]
	}
	names := func(b model.ListAliasResponseBody) string {
		var out []string
		for _, a := range b.Aliases {
			out = append(out, a.Alias)
		}
		return strings.Join(out, ",")
	}
	if got := names(list(model.ListAliasesRequest{})); got != "alias/a,alias/b,alias/c,alias/z" {
		t.Fatalf("all aliases: %s", got)
	}
	if got := names(list(model.ListAliasesRequest{KeyId: &k2})); got != "alias/z" {
		t.Fatalf("aliases of k2: %s", got)
	}
	p1 := list(model.ListAliasesRequest{Limit: ptr("2")})
	if names(p1) != "alias/a,alias/b" || *p1.PageInfo.NextMarker != "alias/b" || *p1.PageInfo.CurrentCount != 2 {
		t.Fatalf("page 1: %s %v", names(p1), p1.PageInfo)
	}
	p2 := list(model.ListAliasesRequest{Limit: ptr("2"), Marker: p1.PageInfo.NextMarker})
	if names(p2) != "alias/c,alias/z" || *p2.PageInfo.NextMarker != "" {
		t.Fatalf("page 2: %s %v", names(p2), p2.PageInfo)
	}
	for _, bad := range []string{"0", "101", "x"} {
		_, err := c.ListAliases(&model.ListAliasesRequest{Limit: ptr(bad)})
		wantErr(t, err, 400, "KMS.1601")
	}
	_, err := c.ListAliases(&model.ListAliasesRequest{KeyId: ptr("00000000-0000-4000-8000-000000000000")})
	wantErr(t, err, 404, "KMS.0207")
	checkObjectForm(t, nd)
}

// checkObjectForm: format=object and the header select Terraform's object body.
func checkObjectForm(t *testing.T, nd *node) {
	t.Helper()
	for _, tc := range []struct {
		query string
		hdr   map[string]string
	}{
		{"?format=object&limit=1", nil},
		{"?limit=1", map[string]string{"X-Kmsd-Alias-List-Format": "object"}},
	} {
		status, _, body := nd.do(http.MethodGet, kmsPath("aliases")+tc.query, "", true, tc.hdr)
		var obj struct {
			Aliases  []map[string]any `json:"aliases"`
			PageInfo struct {
				NextMarker   string `json:"next_marker"`
				CurrentCount int    `json:"current_count"`
			} `json:"page_info"`
		}
		if err := json.Unmarshal([]byte(body), &obj); status != 200 || err != nil || len(obj.Aliases) != 1 ||
			obj.PageInfo.NextMarker != "alias/a" || obj.PageInfo.CurrentCount != 1 {
			t.Fatalf("object form %s: %d %s", tc.query, status, body)
		}
	}
	status, h, body := nd.do(http.MethodGet, kmsPath("aliases")+"?format=xml", "", true, nil)
	wantRaw(t, status, h, body, 400, "KMS.0308")
}

func TestDeleteAndAssociateAlias(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	k1, k2 := createKey(t, c, "k1", nil), createKey(t, c, "k2", nil)
	for _, a := range []string{"alias/one", "alias/two", "alias/three"} {
		must[*model.CreateAliasResponse](t)(createAlias(nd, k1, a))
	}
	del := func(key string, aliases ...string) error {
		_, err := c.DeleteAlias(&model.DeleteAliasRequest{Body: &model.DeleteAliasRequestBody{KeyId: key, Aliases: aliases}})
		return err
	}
	wantErr(t, del(k2, "alias/one"), 404, "KMS.0207")                  // attached to another key
	wantErr(t, del(k1, "alias/one", "alias/missing"), 404, "KMS.0207") // all or nothing
	wantErr(t, del(k1), 400, "KMS.0204")
	if err := del(k1, "alias/one", "alias/one"); err != nil {
		t.Fatal(err)
	}
	_, err := c.ListKeyDetail(&model.ListKeyDetailRequest{Body: operate("alias/one")})
	wantErr(t, err, 404, "KMS.0207")

	created := must[*model.ListAliasesResponse](t)(c.ListAliases(&model.ListAliasesRequest{KeyId: &k1}))
	before := (*created.Body)[0].Aliases[0]
	nd.clock.Advance(2 * time.Second)
	moved, err := c.AssociateAlias(&model.AssociateAliasRequest{Body: &model.AssociateAliasRequestBody{Alias: before.Alias, TargetKeyId: k2}})
	if err != nil || *moved.KeyId != k2 || *moved.CreateTime != *before.CreateTime || *moved.UpdateTime == *before.UpdateTime {
		t.Fatalf("associate-alias: %v %v (before %v)", moved, err, before)
	}
	if d := describe(t, c, before.Alias); *d.KeyId != k2 {
		t.Fatalf("alias resolves to %s after associate", *d.KeyId)
	}
	_, err = c.AssociateAlias(&model.AssociateAliasRequest{Body: &model.AssociateAliasRequestBody{Alias: "alias/nope", TargetKeyId: k2}})
	wantErr(t, err, 404, "KMS.0207")
	_, err = c.AssociateAlias(&model.AssociateAliasRequest{Body: &model.AssociateAliasRequestBody{Alias: before.Alias, TargetKeyId: "00000000-0000-4000-8000-000000000000"}})
	wantErr(t, err, 404, "KMS.0207")
	// Deleting a key removes its aliases.
	must[*model.DeleteKeyResponse](t)(scheduleDeletion(c, k2, "7"))
	nd.clock.Advance(8 * 24 * time.Hour)
	nd.runJobs()
	if _, err := createAlias(nd, k1, before.Alias); err != nil {
		t.Fatalf("alias name not freed by key deletion: %v", err)
	}
}

// TestKeyAliasIsNotAReference: a key's key_alias is its name, not an alias:
// alias/<key_alias> is unknown (404 KMS.0207) until an alias of that name
// is created, as on Huawei Cloud (docs/key-management.md, "Key references").
func TestKeyAliasIsNotAReference(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	id := createKey(t, c, "named", nil)
	_, err := sdktest.Describe(c, "alias/named")
	sdktest.WantError(t, err, 404, "KMS.0207")
	if _, err := createAlias(nd, id, "alias/named"); err != nil {
		t.Fatal(err)
	}
	if d := describe(t, c, "alias/named"); *d.KeyId != id {
		t.Errorf("alias/named is key %s, want %s", *d.KeyId, id)
	}
}
