package cluster

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"

	"github.com/kmsd/kmsd/internal/service"
	"github.com/kmsd/kmsd/internal/testkit/sdktest"
)

// invalidationBound is the documented bound (docs/deploy.md) on how long
// after a state change is acknowledged by one node another node may still
// serve a request with the old state: the cache TTL, the backstop should a
// change notification be lost. Notifications normally make it milliseconds.
const invalidationBound = service.DefaultCacheTTL

// Bob is a second user of the bootstrap account, with his own project,
// seeded on every node, to hold grants.
const (
	bobAK      = "BOBCLUSTERAK00000000"
	bobSK      = "BobClusterSecretKey0123456789abcdefghijk"
	bobProject = "6c1a2b3c4d5e6f708192a3b4c5d6e7f8"
)

const bobSeed = `accounts:
  - name: admin
    projects:
      - name: local-2
        id: ` + bobProject + `
    users:
      - name: bob
        password: "bob password"
        credentials:
          - access_key: ` + bobAK + `
            secret_key: ` + bobSK + `
            projects: [local-2]
`

// seedEnv writes bobSeed and returns the KMSD_SEED setting naming it.
func seedEnv(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "seed.yaml")
	if err := os.WriteFile(path, []byte(bobSeed), 0o600); err != nil {
		t.Fatal(err)
	}
	return "KMSD_SEED=" + path
}

// TestInvalidationBound changes a key on node A while nodes B and C have it
// cached, and checks that B and C refuse it within invalidationBound of A's
// acknowledgement: disable-key (KMS.0209), schedule-key-deletion (KMS.0210),
// revoke-grant (the grantee gets KMS.0207) and delete-imported-key-material
// (KMS.1301). The observed staleness is logged.
func TestInvalidationBound(t *testing.T) {
	c := startCluster(t, 3, seedEnv(t))
	a, b, cc := c.nodes[0], c.nodes[1], c.nodes[2]
	owner := []*kmsClient{a.client(t), b.client(t), cc.client(t)}
	bob := []*kmsClient{nil, b.clientAs(t, bobAK, bobSK, bobProject), cc.clientAs(t, bobAK, bobSK, bobProject)}
	bobID := userID(t, c, "bob")
	if _, err := encrypt(owner[1], sdktest.MustCreateKey(t, owner[0], "probe", nil), "x"); routeMissing(err) {
		t.Skip("encrypt-data is not served yet")
	}
	cases := []struct {
		name   string
		users  []*kmsClient          // who uses the key on B and C
		change func(id string) error // nil: revoke bob's grant
		status int
		code   string
	}{
		{"disable-key", owner, func(id string) error {
			_, err := owner[0].DisableKey(&model.DisableKeyRequest{Body: sdktest.Operate(id)})
			return err
		}, 400, "KMS.0209"},
		{"schedule-key-deletion", owner, func(id string) error {
			_, err := owner[0].DeleteKey(&model.DeleteKeyRequest{Body: &model.ScheduleKeyDeletionRequestBody{KeyId: id, PendingDays: "7"}})
			return err
		}, 400, "KMS.0210"},
		{"revoke-grant", bob, nil, 404, "KMS.0207"},
		{"delete-imported-key-material", owner, func(id string) error {
			_, err := owner[0].DeleteImportedKeyMaterial(&model.DeleteImportedKeyMaterialRequest{Body: sdktest.Operate(id)})
			return err
		}, 400, "KMS.1301"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id := newKeyFor(t, owner[0], tc.name)
			change := tc.change
			if change == nil {
				change = grantThenRevoke(t, owner[0], id, bobID)
			}
			for _, u := range tc.users[1:] { // B and C cache the key (with its grants)
				if _, err := encrypt(u, id, "warm"); err != nil {
					t.Fatalf("encrypt-data before the change: %v", err)
				}
			}
			if err := change(id); routeMissing(err) {
				t.Skipf("%s is not served yet", tc.name)
			} else if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			ack := time.Now()
			checkRefusedWithin(t, ack, tc.users[1:], id, tc.status, tc.code)
		})
	}
}

// newKeyFor creates the key a case changes: an external key with imported
// material for delete-imported-key-material, a plain one otherwise.
func newKeyFor(t *testing.T, c *kmsClient, name string) string {
	t.Helper()
	if name != "delete-imported-key-material" {
		return sdktest.MustCreateKey(t, c, "inval-"+name, nil)
	}
	origin := model.GetCreateKeyRequestBodyOriginEnum().EXTERNAL
	resp, err := c.CreateKey(&model.CreateKeyRequest{Body: &model.CreateKeyRequestBody{KeyAlias: "inval-import", Origin: &origin}})
	if err != nil {
		t.Fatalf("create external key: %v", err)
	}
	id := *resp.KeyInfo.KeyId
	importMaterial(t, c, id)
	return id
}

// importMaterial imports 32 random bytes into external key id, wrapped with
// RSAES_OAEP_SHA_256 under the import public key.
func importMaterial(t *testing.T, c *kmsClient, id string) { importMaterialExpiring(t, c, id, nil) }

// importMaterialExpiring imports material expiring at the Unix second *exp
// (never when nil).
func importMaterialExpiring(t *testing.T, c *kmsClient, id string, exp *int64) {
	t.Helper()
	p, err := c.CreateParametersForImport(&model.CreateParametersForImportRequest{Body: &model.GetParametersForImportRequestBody{
		KeyId: id, WrappingAlgorithm: model.GetGetParametersForImportRequestBodyWrappingAlgorithmEnum().RSAES_OAEP_SHA_256}})
	if routeMissing(err) {
		t.Skip("key import is not served yet")
	}
	if err != nil {
		t.Fatalf("get-parameters-for-import: %v", err)
	}
	der, err := base64.StdEncoding.DecodeString(*p.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		t.Fatal(err)
	}
	material := make([]byte, 32)
	rand.Read(material)
	wrapped, err := rsa.EncryptOAEP(sha256.New(), rand.Reader, pub.(*rsa.PublicKey), material, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ImportKeyMaterial(&model.ImportKeyMaterialRequest{Body: &model.ImportKeyMaterialRequestBody{
		KeyId: id, ImportToken: *p.ImportToken, EncryptedKeyMaterial: base64.StdEncoding.EncodeToString(wrapped),
		ExpirationTime: exp}})
	if err != nil {
		t.Fatalf("import-key-material: %v", err)
	}
}

// grantThenRevoke grants bob encrypt-data on id and returns the change that
// revokes the grant.
func grantThenRevoke(t *testing.T, owner *kmsClient, id, bobID string) func(string) error {
	t.Helper()
	g, err := owner.CreateGrant(&model.CreateGrantRequest{Body: &model.CreateGrantRequestBody{
		KeyId: id, GranteePrincipal: bobID, Operations: []string{"encrypt-data"}}})
	if routeMissing(err) {
		t.Skip("grants are not served yet")
	}
	if err != nil {
		t.Fatalf("create-grant: %v", err)
	}
	return func(id string) error {
		_, err := owner.CancelGrant(&model.CancelGrantRequest{Body: &model.RevokeGrantRequestBody{KeyId: id, GrantId: *g.GrantId}})
		return err
	}
}

// checkRefusedWithin polls encrypt-data on each client until it is refused
// with status and code. Every request started later than invalidationBound
// after ack must be refused; the observed staleness is logged.
func checkRefusedWithin(t *testing.T, ack time.Time, users []*kmsClient, id string, status int, code string) {
	t.Helper()
	type result struct {
		lastServed, refusedAt time.Duration
		err                   error
	}
	results := make([]result, len(users))
	var wg sync.WaitGroup
	for i, u := range users {
		wg.Go(func() {
			r := &results[i]
			r.lastServed = -1
			for {
				start := time.Now()
				_, err := encrypt(u, id, "probe")
				if err == nil {
					r.lastServed = start.Sub(ack)
					if r.lastServed > invalidationBound+time.Second {
						r.err = fmt.Errorf("still served %v after the change", r.lastServed)
						return
					}
					continue
				}
				if st, cd, _ := sdktest.ServiceError(err); st != status || cd != code {
					r.err = fmt.Errorf("want HTTP %d %s, got %v", status, code, err)
				}
				r.refusedAt = time.Since(ack)
				return
			}
		})
	}
	wg.Wait()
	for i, r := range results {
		if r.err != nil {
			t.Fatalf("node %d: %v", i+1, r.err)
		}
		served := "never served"
		if r.lastServed >= 0 {
			served = fmt.Sprintf("last served %v", r.lastServed)
		}
		t.Logf("node %d: %s after the change, refused %v after it (bound %v)", i+1, served, r.refusedAt, invalidationBound)
		if r.lastServed >= invalidationBound {
			t.Errorf("node %d served the old state %v after the change: beyond the %v bound", i+1, r.lastServed, invalidationBound)
		}
	}
}
