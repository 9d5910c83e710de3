package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"
)

// restrictedSeed gives the bootstrap account a second project and two users
// limited to one project each: carl through his only access key (so, as a
// user, to local-1), dora explicitly (her key lists no project).
const restrictedSeed = `
accounts:
  - name: admin
    projects:
      - name: local-1
        id: ` + testProject + `
      - name: local-2
        id: ` + bobProject + `
    users:
      - name: carl
        password: "carl password"
        credentials:
          - access_key: CARLACCESSKEY0000000
            secret_key: CarlSecretKey0123456789abcdefghijklmnopq
            projects: [local-1]
      - name: dora
        password: "dora password"
        projects: [local-2]
        credentials:
          - access_key: DORAACCESSKEY0000000
            secret_key: DoraSecretKey0123456789abcdefghijklmnopq
`

// TestProjectRestrictionBindsTokens: a project restriction lives on the
// user, and access keys and tokens obey it alike. Before, carl's access key
// got 403 in local-2 while his password token got 200 there.
func TestProjectRestrictionBindsTokens(t *testing.T) {
	nd := startNode(t, withSeed(t, restrictedSeed))
	instances := func(project string, hdr map[string]string, signedAs ...string) int {
		t.Helper()
		path := "/v1.0/" + project + "/kms/user-instances"
		if len(signedAs) == 2 {
			_, err := nd.clientFor(signedAs[0], signedAs[1], project).ShowUserInstances(&model.ShowUserInstancesRequest{})
			if err != nil {
				wantErr(t, err, 403, "KMS.0321")
				return 403
			}
			return 200
		}
		status, _, _ := nd.do("GET", path, "", false, hdr)
		return status
	}
	carlKey := []string{"CARLACCESSKEY0000000", "CarlSecretKey0123456789abcdefghijklmnopq"}
	doraKey := []string{"DORAACCESSKEY0000000", "DoraSecretKey0123456789abcdefghijklmnopq"}
	carlScoped := userToken(t, nd, "carl", "carl password", testRegion)
	carlAccount := userToken(t, nd, "carl", "carl password", "")
	doraAccount := userToken(t, nd, "dora", "dora password", "")
	for _, c := range []struct {
		name    string
		project string
		token   string
		key     []string
		want    int
	}{
		{"carl's key in local-1", testProject, "", carlKey, 200},
		{"carl's key in local-2", bobProject, "", carlKey, 403},
		{"carl's local-1 token in local-1", testProject, carlScoped, nil, 200},
		{"carl's account token in local-1", testProject, carlAccount, nil, 200},
		{"carl's account token in local-2", bobProject, carlAccount, nil, 403},
		{"dora's key in local-2", bobProject, "", doraKey, 200},
		{"dora's key in local-1", testProject, "", doraKey, 403},
		{"dora's account token in local-1", testProject, doraAccount, nil, 403},
		{"the bootstrap admin's key in local-2", bobProject, "", []string{testAK, testSK}, 200},
	} {
		var got int
		if c.key != nil {
			got = instances(c.project, nil, c.key...)
		} else {
			got = instances(c.project, map[string]string{"X-Auth-Token": c.token})
		}
		if got != c.want {
			t.Errorf("%s: HTTP %d, want %d", c.name, got, c.want)
		}
	}
	// carl cannot get a token scoped to local-2 at all.
	status, h, b := nd.do("POST", "/v3/auth/tokens", scopedLoginBody("carl", "carl password", "local-2"), false, nil)
	wantRaw(t, status, h, b, 401, "APIGW.0301")
	// Project discovery shows only the projects the user may use.
	_, _, b = nd.do("GET", "/v3/auth/projects", "", false, map[string]string{"X-Auth-Token": carlAccount})
	if !strings.Contains(b, testProject) || strings.Contains(b, bobProject) {
		t.Errorf("carl's projects: %s", b)
	}
}

// scopedLoginBody is a password token request of a user of the bootstrap
// account, scoped to project (a region name), or to the account when empty.
func scopedLoginBody(user, password, project string) string {
	req := map[string]any{"identity": map[string]any{"methods": []string{"password"}, "password": map[string]any{
		"user": map[string]any{"name": user, "password": password, "domain": map[string]string{"name": "admin"}}}}}
	if project != "" {
		req["scope"] = map[string]any{"project": map[string]string{"name": project}}
	}
	b, _ := json.Marshal(map[string]any{"auth": req})
	return string(b)
}

// userToken logs a user of the bootstrap account in (see scopedLoginBody).
func userToken(t *testing.T, nd *node, user, password, project string) string {
	t.Helper()
	status, h, b := nd.do("POST", "/v3/auth/tokens", scopedLoginBody(user, password, project), false, nil)
	if status != 201 || h.Get("X-Subject-Token") == "" {
		t.Fatalf("login of %s scoped to %q: %d %s", user, project, status, b)
	}
	return h.Get("X-Subject-Token")
}
