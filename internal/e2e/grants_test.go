package e2e

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"

	"github.com/kmsd/kmsd/internal/config"
)

func createGrant(c interface {
	CreateGrant(*model.CreateGrantRequest) (*model.CreateGrantResponse, error)
}, body model.CreateGrantRequestBody) (string, error) {
	resp, err := c.CreateGrant(&model.CreateGrantRequest{Body: &body})
	if err != nil {
		return "", err
	}
	return *resp.GrantId, nil
}

func TestCreateGrantRules(t *testing.T) {
	nd, owner, bob, _ := startTenants(t, func(c *config.Config) { c.GrantQuota = 3 })
	c := nd.sdk(owner)
	id := createKey(t, c, "granted", nil)
	body := func(ops ...string) model.CreateGrantRequestBody {
		return model.CreateGrantRequestBody{KeyId: id, GranteePrincipal: bob.userID, Operations: ops}
	}
	gid, err := createGrant(c, body("describe-key", "encrypt-data"))
	if err != nil || !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(gid) {
		t.Fatalf("create-grant: %q %v", gid, err)
	}
	for name, tc := range map[string]struct {
		b      model.CreateGrantRequestBody
		status int
		code   string
	}{
		"only create-grant": {body("create-grant"), 400, "KMS.2401"},
		"unknown operation": {body("sign"), 400, "KMS.0308"},
		"no operations":     {body(), 400, "KMS.0204"},
		"bad principal":     {model.CreateGrantRequestBody{KeyId: id, GranteePrincipal: "bob!", Operations: []string{"describe-key"}}, 400, "KMS.2402"},
		"long principal":    {model.CreateGrantRequestBody{KeyId: id, GranteePrincipal: strings.Repeat("a", 65), Operations: []string{"describe-key"}}, 400, "KMS.2402"},
		"bad retiring":      {model.CreateGrantRequestBody{KeyId: id, GranteePrincipal: "abc", RetiringPrincipal: ptr("x y"), Operations: []string{"describe-key"}}, 400, "KMS.2402"},
		"bad name":          {model.CreateGrantRequestBody{KeyId: id, GranteePrincipal: "abc", Name: ptr("a b"), Operations: []string{"describe-key"}}, 400, "KMS.0308"},
		"default key":       {model.CreateGrantRequestBody{KeyId: defaultKeyID, GranteePrincipal: "abc", Operations: []string{"describe-key"}}, 400, "KMS.0211"},
		"unknown key":       {model.CreateGrantRequestBody{KeyId: "00000000-0000-4000-8000-000000000000", GranteePrincipal: "abc", Operations: []string{"describe-key"}}, 404, "KMS.0207"},
		"bad key id":        {model.CreateGrantRequestBody{KeyId: "nope", GranteePrincipal: "abc", Operations: []string{"describe-key"}}, 400, "KMS.0205"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := createGrant(c, tc.b)
			wantErr(t, err, tc.status, tc.code)
		})
	}
	// Quota: 3 grants per key, counted per key.
	for range 2 {
		if _, err := createGrant(c, body("describe-key")); err != nil {
			t.Fatal(err)
		}
	}
	_, err = createGrant(c, body("describe-key"))
	wantErr(t, err, 400, "KMS.2404")
	q := must[*model.ShowUserQuotasResponse](t)(c.ShowUserQuotas(&model.ShowUserQuotasRequest{}))
	for _, r := range *q.Quotas.Resources {
		if r.Type.Value() == "grant_per_CMK" && (*r.Used != 3 || *r.Quota != 3) {
			t.Errorf("grant_per_CMK used %d quota %d, want 3/3", *r.Used, *r.Quota)
		}
	}
	// State: the key must be enabled.
	other := createKey(t, c, "disabled-grant", nil)
	must[*model.DisableKeyResponse](t)(c.DisableKey(&model.DisableKeyRequest{Body: operate(other)}))
	_, err = createGrant(c, model.CreateGrantRequestBody{KeyId: other, GranteePrincipal: "abc", Operations: []string{"describe-key"}})
	wantErr(t, err, 400, "KMS.0209")
	must[*model.DeleteKeyResponse](t)(scheduleDeletion(c, other, "7"))
	_, err = createGrant(c, model.CreateGrantRequestBody{KeyId: other, GranteePrincipal: "abc", Operations: []string{"describe-key"}})
	wantErr(t, err, 400, "KMS.0210")
}

func TestGranteeDelegation(t *testing.T) {
	nd, owner, bob, carol := startTenants(t)
	id := createKey(t, nd.sdk(owner), "delegated", nil)
	grantRaw(t, nd, owner, id, bob.userID, "user", []string{"create-grant", "describe-key", "encrypt-data"})
	b := nd.sdk(bob)
	// Bob grants carol a subset of what he holds, then tries more.
	gid, err := createGrant(b, model.CreateGrantRequestBody{KeyId: id, GranteePrincipal: carol.userID, Operations: []string{"describe-key"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = createGrant(b, model.CreateGrantRequestBody{KeyId: id, GranteePrincipal: carol.userID, Operations: []string{"decrypt-data"}})
	wantErr(t, err, 403, "KMS.0306")
	if d := describe(t, nd.sdk(carol), id); *d.KeyId != id {
		t.Fatalf("carol describe-key: %v", d)
	}
	// Bob issued carol's grant, so he may retire it; carol loses access at once.
	if _, err := b.CancelSelfGrant(&model.CancelSelfGrantRequest{Body: &model.RevokeGrantRequestBody{KeyId: id, GrantId: gid}}); err != nil {
		t.Fatal(err)
	}
	_, err = nd.sdk(carol).ListKeyDetail(&model.ListKeyDetailRequest{Body: operate(id)})
	wantErr(t, err, 404, "KMS.0207")
	// Grantees cannot list grants or manage the key.
	_, err = b.ListGrants(&model.ListGrantsRequest{Body: &model.ListGrantsRequestBody{KeyId: id}})
	wantErr(t, err, 403, "KMS.0306")
	_, err = b.EnableKeyRotation(&model.EnableKeyRotationRequest{Body: operate(id)})
	wantErr(t, err, 403, "KMS.0306")
	_, err = nd.sdk(carol).ListGrants(&model.ListGrantsRequest{Body: &model.ListGrantsRequestBody{KeyId: id}})
	wantErr(t, err, 404, "KMS.0207")
}

func TestRevokeWorksAtOnce(t *testing.T) {
	nd, owner, bob, _ := startTenants(t)
	c := nd.sdk(owner)
	id := createKey(t, c, "revocable", nil)
	other := createKey(t, c, "other-key", nil)
	gid := grantRaw(t, nd, owner, id, bob.userID, "user", []string{"describe-key", "encrypt-data"})
	enc := func() (int, string) {
		return nd.call(bob, http.MethodPost, "encrypt-data", jsonBody(t, map[string]string{"key_id": id, "plain_text": "x"}))
	}
	if st, b := enc(); st != 200 {
		t.Fatalf("bob encrypt-data: %d %s", st, b) // also caches the key with its grants
	}
	revoke := func(key, grant string) error {
		_, err := c.CancelGrant(&model.CancelGrantRequest{Body: &model.RevokeGrantRequestBody{KeyId: key, GrantId: grant}})
		return err
	}
	wantErr(t, revoke(other, gid), 400, "KMS.2502")
	wantErr(t, revoke(id, strings.Repeat("ab", 32)), 400, "KMS.2501")
	wantErr(t, revoke(id, "xyz"), 400, "KMS.2501")
	_, err := nd.sdk(bob).CancelGrant(&model.CancelGrantRequest{Body: &model.RevokeGrantRequestBody{KeyId: id, GrantId: gid}})
	wantErr(t, err, 403, "KMS.0306") // grantees cannot revoke
	if err := revoke(id, gid); err != nil {
		t.Fatal(err)
	}
	if st, b := enc(); st != 404 || errCode(b) != "KMS.0207" {
		t.Fatalf("encrypt-data after revoke: %d %s, want 404 KMS.0207", st, b)
	}
	wantErr(t, revoke(id, gid), 400, "KMS.2501")
}

func TestListAndRetireGrants(t *testing.T) {
	nd, owner, bob, carol := startTenants(t)
	c := nd.sdk(owner)
	id := createKey(t, c, "listed", nil)
	var ids []string
	for range 3 {
		gid, err := createGrant(c, model.CreateGrantRequestBody{KeyId: id, GranteePrincipal: bob.userID,
			Operations: []string{"describe-key"}, Name: ptr("grant-a"), RetiringPrincipal: ptr(carol.userID)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, gid)
	}
	page := must[*model.ListGrantsResponse](t)(c.ListGrants(&model.ListGrantsRequest{Body: &model.ListGrantsRequestBody{KeyId: id, Limit: ptr("2")}}))
	if len(*page.Grants) != 2 || *page.Total != 3 || page.Truncated.Value() != "true" || *page.NextMarker != "2" {
		t.Fatalf("first page: %v", page)
	}
	g := (*page.Grants)[0]
	if !slices.Contains(ids, *g.GrantId) || *g.KeyId != id || *g.GranteePrincipal != bob.userID || g.GranteePrincipalType.Value() != "user" ||
		*g.IssuingPrincipal != owner.userID || *g.RetiringPrincipal != carol.userID || *g.Name != "grant-a" ||
		len(*g.Operations) != 1 || len(*g.CreationDate) != 13 {
		t.Errorf("grant fields: %v", g)
	}
	last := must[*model.ListGrantsResponse](t)(c.ListGrants(&model.ListGrantsRequest{Body: &model.ListGrantsRequestBody{KeyId: id, Limit: ptr("2"), Marker: ptr("2")}}))
	if len(*last.Grants) != 1 || last.Truncated.Value() != "false" || *last.NextMarker != "" {
		t.Fatalf("last page: %v", last)
	}
	_, err := c.ListGrants(&model.ListGrantsRequest{Body: &model.ListGrantsRequestBody{KeyId: id, Limit: ptr("0")}})
	wantErr(t, err, 400, "KMS.1601")
	_, err = c.ListGrants(&model.ListGrantsRequest{Body: &model.ListGrantsRequestBody{KeyId: id, Marker: ptr("-1")}})
	wantErr(t, err, 400, "KMS.1602")
	// carol is the retiring principal: she sees the grants and may retire them.
	cc := nd.sdk(carol)
	ret := must[*model.ListRetirableGrantsResponse](t)(cc.ListRetirableGrants(&model.ListRetirableGrantsRequest{Body: &model.ListRetirableGrantsRequestBody{}}))
	if *ret.Total != 3 || len(*ret.Grants) != 3 {
		t.Fatalf("list-retirable-grants: %v", ret)
	}
	if _, err := cc.CancelSelfGrant(&model.CancelSelfGrantRequest{Body: &model.RevokeGrantRequestBody{KeyId: id, GrantId: ids[0]}}); err != nil {
		t.Fatal(err)
	}
	// bob is the grantee but his grants lack retire-grant.
	_, err = nd.sdk(bob).CancelSelfGrant(&model.CancelSelfGrantRequest{Body: &model.RevokeGrantRequestBody{KeyId: id, GrantId: ids[1]}})
	wantErr(t, err, 403, "KMS.0306")
	none := must[*model.ListRetirableGrantsResponse](t)(nd.sdk(bob).ListRetirableGrants(&model.ListRetirableGrantsRequest{Body: &model.ListRetirableGrantsRequestBody{}}))
	if *none.Total != 0 || len(*none.Grants) != 0 {
		t.Fatalf("bob's retirable grants: %v", none)
	}
}

// TestGranteeSeesOnlyOwnResources: a grant does not put the owner's keys or
// aliases into the grantee's listings.
func TestGranteeSeesOnlyOwnResources(t *testing.T) {
	nd, owner, bob, carol := startTenants(t)
	c := nd.sdk(owner)
	id := createKey(t, c, "private", nil)
	must[*model.CreateAliasResponse](t)(c.CreateAlias(&model.CreateAliasRequest{Body: &model.CreateAliasRequestBody{KeyId: id, Alias: "alias/private"}}))
	must[*model.CreateKmsTagResponse](t)(c.CreateKmsTag(&model.CreateKmsTagRequest{KeyId: id, Body: &model.CreateKmsTagRequestBody{Tag: &model.TagItem{Key: "k", Value: ptr("v")}}}))
	for _, who := range []tenant{bob, carol} {
		grantRaw(t, nd, owner, id, who.domainID, "domain", []string{"describe-key", "encrypt-data"})
		g := nd.sdk(who)
		keys := must[*model.ListKeysResponse](t)(g.ListKeys(&model.ListKeysRequest{Body: &model.ListKeysRequestBody{KeySpec: nil}}))
		if len(*keys.Keys) != 0 {
			t.Errorf("%s list-keys shows %v", who.name, *keys.Keys)
		}
		as := must[*model.ListAliasesResponse](t)(g.ListAliases(&model.ListAliasesRequest{}))
		if len(*as.Body) != 1 || len((*as.Body)[0].Aliases) != 0 {
			t.Errorf("%s list-aliases shows %v", who.name, *as.Body)
		}
		res := must[*model.ListKmsByTagsResponse](t)(g.ListKmsByTags(&model.ListKmsByTagsRequest{ResourceInstances: "resource_instances",
			Body: &model.ListKmsByTagsRequestBody{Action: ptr("filter")}}))
		if *res.TotalCount != 0 || len(*res.Resources) != 0 {
			t.Errorf("%s resource_instances shows %v", who.name, *res.Resources)
		}
		// The alias is the owner's: it does not resolve in the grantee's project.
		_, err := g.ListKeyDetail(&model.ListKeyDetailRequest{Body: operate("alias/private")})
		wantErr(t, err, 404, "KMS.0207")
		if d := describe(t, g, id); *d.KeyId != id {
			t.Errorf("%s describe-key by id: %v", who.name, d)
		}
	}
}
