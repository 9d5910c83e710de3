package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"testing"
	"time"

	kms "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2"

	"github.com/kmsd/kmsd/internal/auth/sigv"
)

// tenant is a principal with its own credential and project.
type tenant struct {
	name, ak, sk, project string
	userID, domainID      string
}

// Fixed identities of the multi-tenant fixture: bob is a second user of
// the bootstrap account with his own project (local-2); carol is a user of
// a second account.
const (
	bobProject   = "1a1b2c3d4e5f60718293a4b5c6d7e8f9"
	carolProject = "2a1b2c3d4e5f60718293a4b5c6d7e8f9"
)

// tenantsSeed adds bob and carol, and a default key in the owner's project.
const tenantsSeed = defaultKeySeed + `
  - name: admin
    projects:
      - name: local-2
        id: ` + bobProject + `
    users:
      - name: bob
        password: "bob password"
        credentials:
          - access_key: BOBACCESSKEY00000000
            secret_key: BobSecretKey0123456789abcdefghijklmnopqr
            projects: [local-2]
  - name: other
    projects:
      - name: local-1
        id: ` + carolProject + `
    users:
      - name: carol
        password: "carol password"
        credentials:
          - access_key: CAROLACCESSKEY000000
            secret_key: CarolSecretKey0123456789abcdefghijklmnop
`

// startTenants starts a node with the multi-tenant fixture and returns the
// owner (the bootstrap admin), bob and carol.
func startTenants(t *testing.T, opts ...option) (nd *node, owner, bob, carol tenant) {
	t.Helper()
	nd = startNode(t, append([]option{withSeed(t, tenantsSeed)}, opts...)...)
	owner = nd.tenant("admin", "admin", testAK, testSK, testProject)
	bob = nd.tenant("admin", "bob", "BOBACCESSKEY00000000", "BobSecretKey0123456789abcdefghijklmnopqr", bobProject)
	carol = nd.tenant("other", "carol", "CAROLACCESSKEY000000", "CarolSecretKey0123456789abcdefghijklmnop", carolProject)
	return nd, owner, bob, carol
}

func (nd *node) tenant(account, user, ak, sk, project string) tenant {
	nd.t.Helper()
	ctx := context.Background()
	a, err := nd.n.Store.GetAccountByName(ctx, account)
	if err != nil {
		nd.t.Fatal(err)
	}
	u, err := nd.n.Store.GetUserByName(ctx, a.ID, user)
	if err != nil {
		nd.t.Fatal(err)
	}
	return tenant{name: user, ak: ak, sk: sk, project: project, userID: u.ID, domainID: a.ID}
}

// sdk returns an official SDK client for the tenant.
func (nd *node) sdk(u tenant) *kms.KmsClient { return nd.clientFor(u.ak, u.sk, u.project) }

// call sends a raw request signed with u's credential to path under
// /v1.0/{u.project}/kms/ and returns status and body.
func (nd *node) call(u tenant, method, path, body string) (int, string) {
	nd.t.Helper()
	req := newReq(nd.t, method, nd.url+"/v1.0/"+u.project+"/kms/"+path, body)
	if err := sigv.Sign(req, []byte(body), u.ak, u.sk, time.Now()); err != nil {
		nd.t.Fatal(err)
	}
	status, _, b := send(nd.t, req)
	return status, b
}

// errCode returns the error_code of a KMS error body ("" if none).
func errCode(body string) string {
	var e struct {
		Error struct {
			Code string `json:"error_code"`
		} `json:"error"`
	}
	json.Unmarshal([]byte(body), &e)
	return e.Error.Code
}

// jsonBody marshals v for a raw request.
func jsonBody(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// field decodes body and returns its string field name.
func field(t testing.TB, body, name string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	s, _ := m[name].(string)
	return s
}

// randomSuffix returns 8 random hex digits for unique names.
func randomSuffix(t testing.TB) string {
	t.Helper()
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
