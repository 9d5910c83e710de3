package cluster

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"

	"github.com/kmsd/kmsd/internal/testkit/sdktest"
)

// TestReadAfterWriteAcrossNodes creates keys on each node in turn and uses
// them at once on the two others: describe-key, list-keys, encrypt-data on
// one and decrypt-data on the other. Any node serves any request;
// nothing needs a sticky session.
func TestReadAfterWriteAcrossNodes(t *testing.T) {
	c := startCluster(t, 3)
	clients := make([]*kmsClient, len(c.nodes))
	for i, p := range c.nodes {
		clients[i] = p.client(t)
	}
	dataPlane := true
	for i := range 30 {
		w, r1, r2 := clients[i%3], clients[(i+1)%3], clients[(i+2)%3]
		alias := fmt.Sprintf("raw-%d", i)
		id := sdktest.MustCreateKey(t, w, alias, nil)
		for _, r := range []*kmsClient{r1, r2} {
			if d := sdktest.MustDescribe(t, r, id); *d.KeyAlias != alias || *d.KeyState != "2" {
				t.Fatalf("key %d: describe on another node: alias %q state %q", i, *d.KeyAlias, *d.KeyState)
			}
		}
		lk, err := r2.ListKeys(&model.ListKeysRequest{Body: &model.ListKeysRequestBody{}})
		if err != nil || *lk.Total != int32(i+1) {
			t.Fatalf("key %d: list-keys on another node: %v %v", i, lk, err)
		}
		if dataPlane {
			dataPlane = roundTrip(t, r1, r2, id, fmt.Sprintf("secret %d", i))
		}
	}
	if !dataPlane {
		t.Log("encrypt-data is not served yet: only the management plane was checked")
	}
}

// roundTrip encrypts on one node and decrypts on another; false when
// encrypt-data is not served (yet).
func roundTrip(t *testing.T, enc, dec *kmsClient, ref, plain string) bool {
	t.Helper()
	ct, err := encrypt(enc, ref, plain)
	if routeMissing(err) {
		return false
	}
	if err != nil {
		t.Fatalf("encrypt-data %s: %v", ref, err)
	}
	got, err := decrypt(dec, ct)
	if err != nil || got != plain {
		t.Fatalf("decrypt-data on another node: %q %v, want %q", got, err, plain)
	}
	return true
}

// TestTokenIssuedByOneNodeWorksOnAll gets an IAM token from node A with the
// bootstrap password and uses it for a KMS call on every node: the
// token-signing key is shared through the database.
func TestTokenIssuedByOneNodeWorksOnAll(t *testing.T) {
	c := startCluster(t, 3)
	body := `{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"admin","password":"` +
		testPass + `","domain":{"name":"admin"}}}},"scope":{"project":{"name":"` + testRegion + `"}}}}`
	resp, err := http.Post(c.nodes[0].url+"/v3/auth/tokens", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	token := resp.Header.Get("X-Subject-Token")
	if resp.StatusCode != http.StatusCreated || token == "" {
		t.Fatalf("POST /v3/auth/tokens: HTTP %d, token %q", resp.StatusCode, token)
	}
	for _, p := range c.nodes {
		req, err := http.NewRequest(http.MethodPost, p.url+"/v1.0/"+testProject+"/kms/list-keys", strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Auth-Token", token)
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != http.StatusOK {
			t.Fatalf("%s: list-keys with a token from another node: HTTP %d", p.name, r.StatusCode)
		}
	}
}
