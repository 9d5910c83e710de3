package seed

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/iam"
	"github.com/kmsd/kmsd/internal/service"
	"github.com/kmsd/kmsd/internal/testkit"
)

const permissionsSeed = `accounts:
  - name: acct
    projects:
      - name: local-1
    users:
      - name: ci
        groups: [readers]
      - name: nobody
        groups: []
      - name: boss
    policies:
      - name: app crypto
        policy:
          Version: "1.1"
          Statement:
            - Effect: Allow
              Action: ["kms:cmk:encrypt*"]
              Resource: ["KMS:*:*:KeyId:0d0466b0-e727-4d9c-b35d-f84bb474a37f"]
    groups:
      - name: readers
        permissions:
          - role: KMS CMKReadOnlyAccess
            project: local-1
          - role: app crypto
`

// TestSeedGroupsAndPolicies: a seed file declares custom policies, groups
// with grants on a project and on the account, and memberships; a user
// without groups joins the admin group, one with "groups: []" none.
// Applying the file twice changes nothing.
func TestSeedGroupsAndPolicies(t *testing.T) {
	ctx := context.Background()
	st, rk := testkit.SQLite(t)
	ids := iam.New(iam.Options{Store: st, Root: rk})
	keys := service.New(service.Options{Store: st, Root: rk})
	path := filepath.Join(t.TempDir(), "seed.yaml")
	if err := os.WriteFile(path, []byte(permissionsSeed), 0o600); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := ApplyFile(ctx, path, ids, keys); err != nil {
			t.Fatal(err)
		}
	}
	a, _ := st.GetAccountByName(ctx, "acct")
	groupsOf := func(name string) []string {
		u, err := st.GetUserByName(ctx, a.ID, name)
		if err != nil {
			t.Fatal(err)
		}
		gs, _ := ids.UserGroups(ctx, u.ID)
		var out []string
		for _, g := range gs {
			out = append(out, g.Name)
		}
		return out
	}
	if g := groupsOf("ci"); len(g) != 1 || g[0] != "readers" {
		t.Errorf("ci's groups: %v", g)
	}
	if g := groupsOf("nobody"); len(g) != 0 {
		t.Errorf("nobody's groups: %v", g)
	}
	if g := groupsOf("boss"); len(g) != 1 || g[0] != domain.AdminGroup {
		t.Errorf("boss's groups: %v", g)
	}
	readers, _ := ids.Groups(ctx, a.ID, "readers")
	ps, _ := ids.Projects(ctx, a.ID, "local-1")
	onProject, err := ids.GroupRoles(ctx, iam.Scope{DomainID: a.ID, Project: ps[0].ID}, readers[0].ID)
	if err != nil || len(onProject) != 1 || onProject[0].DisplayName != "KMS CMKReadOnlyAccess" {
		t.Errorf("readers on local-1: %+v %v", onProject, err)
	}
	onAccount, err := ids.GroupRoles(ctx, iam.Scope{DomainID: a.ID}, readers[0].ID)
	if err != nil || len(onAccount) != 1 || onAccount[0].DisplayName != "app crypto" || !onAccount[0].Custom() {
		t.Errorf("readers on the account: %+v %v", onAccount, err)
	}
	if rs, _ := ids.Roles(ctx, a.ID); len(rs) != 5 {
		t.Errorf("roles after two applications: %d, want 4 system + 1 custom", len(rs))
	}
}

// TestSeedRefusesUnknownRoles: a grant of a role nobody defined fails.
func TestSeedRefusesUnknownRoles(t *testing.T) {
	st, rk := testkit.SQLite(t)
	ids := iam.New(iam.Options{Store: st, Root: rk})
	f := File{Accounts: []Account{{Name: "acct", Groups: []Group{{Name: "g", Permissions: []Permission{{Role: "KMS Wizard"}}}}}}}
	if err := Apply(context.Background(), f, ids, service.New(service.Options{Store: st, Root: rk})); err == nil {
		t.Fatal("a grant of an unknown role was applied")
	}
}
