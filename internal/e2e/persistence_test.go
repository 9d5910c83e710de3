package e2e

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"

	"github.com/kmsd/kmsd/internal/cli"
)

func TestRestartKeepsKeysAndCredentials(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	id := createKey(t, c, "durable", nil)
	if _, err := updateDescription(c, id, "survives restarts"); err != nil {
		t.Fatal(err)
	}
	nd.restart()
	d := describe(t, nd.client(), id)
	if *d.KeyDescription != "survives restarts" || *d.KeyAlias != "durable" {
		t.Fatalf("after restart: %v", d)
	}
}

const seedFile = `
accounts:
  - name: admin
    projects:
      - name: local-1
        keys:
          - id: 11111111-2222-4333-8444-555555555555
            alias: seeded-aes
            description: fixed material
            spec: AES_256
            material: "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
          - id: 11111111-2222-4333-8444-666666666666
            alias: seeded-sm4-disabled
            spec: SM4
            state: disabled
          - alias: seeded-by-alias
            state: pending_deletion
            pending_days: 30
          - id: 11111111-2222-4333-8444-777777777777
            alias: evs/default
  - name: tenant-b
    id: bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
    projects:
      - name: local-1
        id: cccccccccccccccccccccccccccccccc
    users:
      - name: bob
        password: bobs password
        credentials:
          - access_key: TENANTBAK00000000000
            secret_key: TenantBSecretKey0123456789abcdefghijklmn
            projects: [local-1]
`

func TestSeedIsIdempotent(t *testing.T) {
	nd := startNode(t, withSeed(t, seedFile))
	check := func() {
		t.Helper()
		c := nd.client()
		d := describe(t, c, "11111111-2222-4333-8444-555555555555")
		if *d.KeyAlias != "seeded-aes" || *d.KeyDescription != "fixed material" {
			t.Fatalf("seeded key: %v", d)
		}
		if s := *describe(t, c, "11111111-2222-4333-8444-666666666666").KeyState; s != "3" {
			t.Fatalf("seeded disabled key in state %s", s)
		}
		if f := *describe(t, c, "11111111-2222-4333-8444-777777777777").DefaultKeyFlag; f != "1" {
			t.Fatalf("evs/default has default_key_flag %s", f)
		}
		resp, err := c.ListKeys(&model.ListKeysRequest{Body: &model.ListKeysRequestBody{KeySpec: ptrSpec("ALL")}})
		if err != nil || *resp.Total != 4 {
			t.Fatalf("list-keys after seeding: %v %v", resp, err)
		}
		b := nd.clientFor("TENANTBAK00000000000", "TenantBSecretKey0123456789abcdefghijklmn", "cccccccccccccccccccccccccccccccc")
		if _, err := b.ShowUserInstances(&model.ShowUserInstancesRequest{}); err != nil {
			t.Fatalf("seeded credential: %v", err)
		}
		_, err = b.ListKeyDetail(&model.ListKeyDetailRequest{Body: operate("11111111-2222-4333-8444-555555555555")})
		wantErr(t, err, 404, "KMS.0207") // tenant B cannot see tenant A's key
	}
	check()
	nd.restart() // applies the same seed file again
	check()
}

// TestAdminCredential creates a project and an access key with the admin CLI
// on the data directory of a running node; the node accepts it at once.
func TestAdminCredential(t *testing.T) {
	nd := startNode(t)
	var out, errOut bytes.Buffer
	env := cli.Env{Stdout: &out, Stderr: &errOut, Lookup: func(string) (string, bool) { return "", false }}
	if code := cli.Main([]string{"admin", "project", "create", "local-2", "--data", nd.cfg.DataDir}, env); code != 0 {
		t.Fatalf("admin project create: exit %d: %s", code, errOut.String())
	}
	var created struct {
		ProjectID string `json:"project_id"`
		DomainID  string `json:"domain_id"`
		AccessKey string `json:"access_key"`
		SecretKey string `json:"secret_key"`
	}
	if err := json.Unmarshal(out.Bytes(), &created); err != nil || created.AccessKey == "" {
		t.Fatalf("admin output %q: %v", out.String(), err)
	}
	c2 := nd.clientFor(created.AccessKey, created.SecretKey, created.ProjectID)
	id := createKey(t, c2, "in-local-2", nil)
	// The new credential is limited to its project.
	_, err := nd.clientFor(created.AccessKey, created.SecretKey, testProject).ShowUserInstances(&model.ShowUserInstancesRequest{})
	wantErr(t, err, 403, "KMS.0321")
	// Keys of local-2 are invisible from local-1.
	_, err = nd.client().ListKeyDetail(&model.ListKeyDetailRequest{Body: operate(id)})
	wantErr(t, err, 404, "KMS.0207")

	out.Reset()
	if code := cli.Main([]string{"admin", "credential", "create", "--project", created.ProjectID, "--data", nd.cfg.DataDir}, env); code != 0 {
		t.Fatalf("admin credential create: exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), created.ProjectID) {
		t.Fatalf("credential output: %s", out.String())
	}
}
