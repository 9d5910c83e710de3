package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/region"
	kms "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"

	"github.com/kmsd/kmsd/internal/auth/sigv"
)

func TestAuthenticationFailures(t *testing.T) {
	nd := startNode(t)
	body := `{"key_id":"0d0466b0-e727-4d9c-b35d-f84bb474a37f","key_description":"x"}`
	path := kmsPath("update-key-description")
	t.Run("no credentials", func(t *testing.T) {
		status, h, b := nd.do("POST", path, body, false, nil)
		wantRaw(t, status, h, b, 401, "APIGW.0301")
	})
	t.Run("wrong secret key", func(t *testing.T) {
		_, err := nd.clientFor(testAK, testSK+"x", testProject).UpdateKeyDescription(&model.UpdateKeyDescriptionRequest{
			Body: &model.UpdateKeyDescriptionRequestBody{KeyId: "0d0466b0-e727-4d9c-b35d-f84bb474a37f"}})
		wantErr(t, err, 401, "APIGW.0301")
	})
	t.Run("unknown access key", func(t *testing.T) {
		_, err := nd.clientFor("NOSUCHAK000000000000", testSK, testProject).ShowUserInstances(&model.ShowUserInstancesRequest{})
		wantErr(t, err, 401, "APIGW.0301")
	})
	t.Run("body changed after signing", func(t *testing.T) {
		status, h, b := nd.doSigned("POST", path, body, strings.Replace(body, `"x"`, `"y"`, 1), time.Now())
		wantRaw(t, status, h, b, 401, "APIGW.0301")
	})
	t.Run("clock skew over 15 minutes", func(t *testing.T) {
		status, h, b := nd.doSigned("POST", path, body, body, time.Now().Add(-16*time.Minute))
		wantRaw(t, status, h, b, 401, "APIGW.0301")
	})
	t.Run("project of another account is 403", func(t *testing.T) {
		_, err := nd.clientFor(testAK, testSK, "ffffffffffffffffffffffffffffffff").ShowUserInstances(&model.ShowUserInstancesRequest{})
		wantErr(t, err, 403, "KMS.0321")
	})
	t.Run("garbage token", func(t *testing.T) {
		status, h, b := nd.do("POST", path, body, false, map[string]string{"X-Auth-Token": "kmsd1.abc.def"})
		wantRaw(t, status, h, b, 403, "KMS.0302")
		status, h, b = nd.do("POST", path, body, false, map[string]string{"X-Auth-Token": "MIIZAgYJKoZIhvcNAQcCoIIY8zCCGO8CAQExDTAL"})
		wantRaw(t, status, h, b, 403, "KMS.0301")
	})
}

// doSigned signs sentBody's stand-in signedBody at time at, then sends sentBody.
func (nd *node) doSigned(method, path, signedBody, sentBody string, at time.Time) (int, http.Header, string) {
	nd.t.Helper()
	req := newReq(nd.t, method, nd.url+path, sentBody)
	if err := sigv.Sign(req, []byte(signedBody), testAK, testSK, at); err != nil {
		nd.t.Fatal(err)
	}
	return send(nd.t, req)
}

func TestTokenAuth(t *testing.T) {
	nd := startNode(t)
	id := createKey(t, nd.client(), "token-key", nil)
	tok := login(t, nd, testRegion, testPass)

	status, h, b := nd.do("POST", kmsPath("update-key-description"),
		`{"key_id":"`+id+`","key_description":"set with a token"}`, false, map[string]string{"X-Auth-Token": tok})
	if status != 200 || h.Get("X-Request-Id") == "" {
		t.Fatalf("token call: %d %s", status, b)
	}
	if got := *describe(t, nd.client(), id).KeyDescription; got != "set with a token" {
		t.Fatalf("description %q", got)
	}
	// A token scoped to the project does not open another project.
	status, _, b = nd.do("GET", "/v1.0/ffffffffffffffffffffffffffffffff/kms/user-instances", "", false, map[string]string{"X-Auth-Token": tok})
	if status != 403 || !strings.Contains(b, "KMS.0321") {
		t.Fatalf("foreign project with token: %d %s", status, b)
	}
	// A token verifies on any node sharing the store (here: after a restart).
	nd.restart()
	status, _, b = nd.do("GET", kmsPath("user-instances"), "", false, map[string]string{"X-Auth-Token": tok})
	if status != 200 || !strings.Contains(b, `"instance_num":1`) {
		t.Fatalf("token after restart: %d %s", status, b)
	}
	t.Run("wrong password", func(t *testing.T) {
		status, _, b := nd.do("POST", "/v3/auth/tokens", tokenBody(testRegion, "nope"), false, nil)
		if status != 401 || !strings.Contains(b, "APIGW.0301") {
			t.Fatalf("got %d %s", status, b)
		}
	})
}

func tokenBody(project, password string) string {
	b, _ := json.Marshal(map[string]any{"auth": map[string]any{
		"identity": map[string]any{"methods": []string{"password"}, "password": map[string]any{
			"user": map[string]any{"name": "admin", "password": password, "domain": map[string]string{"name": "admin"}}}},
		"scope": map[string]any{"project": map[string]string{"name": project}}}})
	return string(b)
}

func login(t *testing.T, nd *node, project, password string) string {
	t.Helper()
	status, h, b := nd.do("POST", "/v3/auth/tokens", tokenBody(project, password), false, nil)
	if status != 201 || h.Get("X-Subject-Token") == "" {
		t.Fatalf("POST /v3/auth/tokens: %d %s", status, b)
	}
	var resp struct {
		Token struct {
			Project   struct{ ID string } `json:"project"`
			ExpiresAt string              `json:"expires_at"`
		} `json:"token"`
	}
	if err := json.Unmarshal([]byte(b), &resp); err != nil || resp.Token.Project.ID != testProject {
		t.Fatalf("token body: %s", b)
	}
	return h.Get("X-Subject-Token")
}

// TestProjectDiscovery lets the SDK find the project id itself with
// GET /v3/projects?name=<region>, as sops does without HUAWEICLOUD_SDK_PROJECT_ID.
func TestProjectDiscovery(t *testing.T) {
	nd := startNode(t)
	cred, err := basic.NewCredentialsBuilder().WithAk(testAK).WithSk(testSK).WithIamEndpointOverride(nd.url).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	hc, err := kms.KmsClientBuilder().WithRegion(region.NewRegion(testRegion, nd.url)).WithCredential(cred).SafeBuild()
	if err != nil {
		t.Fatalf("SDK project discovery failed: %v", err)
	}
	if cred.ProjectId != testProject {
		t.Fatalf("discovered project %q, want %q", cred.ProjectId, testProject)
	}
	if _, err := kms.NewKmsClient(hc).ShowUserInstances(&model.ShowUserInstancesRequest{}); err != nil {
		t.Fatal(err)
	}
}
