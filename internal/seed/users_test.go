package seed

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/kmsd/kmsd/internal/iam"
	"github.com/kmsd/kmsd/internal/service"
	"github.com/kmsd/kmsd/internal/testkit"
)

// TestUserProjects checks how a seeded user's project list is set: its own
// list, else the union of its access keys' lists when all are limited.
func TestUserProjects(t *testing.T) {
	ctx := context.Background()
	st, rk := testkit.SQLite(t)
	ids := iam.New(iam.Options{Store: st, Root: rk})
	keys := service.New(service.Options{Store: st, Root: rk})
	cred := func(ak string, projects ...string) Credential {
		return Credential{AccessKey: ak, SecretKey: "Secret" + ak + "0123456789abcdefghijklmn", Projects: projects}
	}
	acct := func(users ...User) File {
		return File{Accounts: []Account{{Name: "acct", Projects: []Project{{Name: "p1"}, {Name: "p2"}, {Name: "p3"}}, Users: users}}}
	}
	f := acct(
		User{Name: "keys-limited", Credentials: []Credential{cred("AKLIMITED00000000001", "p1"), cred("AKLIMITED00000000002", "p2", "p1")}},
		User{Name: "one-unlimited", Credentials: []Credential{cred("AKMIXED0000000000001", "p1"), cred("AKMIXED0000000000002")}},
		User{Name: "explicit", Projects: []string{"p3"}, Credentials: []Credential{cred("AKEXPLICIT0000000001")}},
	)
	if err := Apply(ctx, f, ids, keys); err != nil {
		t.Fatal(err)
	}
	byID := map[string]string{}
	projects, _ := ids.Projects(ctx, "", "")
	for _, p := range projects {
		byID[p.ID] = p.Name
	}
	a, _ := st.GetAccountByName(ctx, "acct")
	for name, want := range map[string]string{"keys-limited": "p1,p2", "one-unlimited": "", "explicit": "p3"} {
		u, err := st.GetUserByName(ctx, a.ID, name)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, id := range u.ProjectIDs {
			got = append(got, byID[id])
		}
		slices.Sort(got)
		if strings.Join(got, ",") != want {
			t.Errorf("user %s limited to %v, want %q", name, got, want)
		}
	}
	for what, bad := range map[string]File{
		"a key outside its user's projects": acct(User{Name: "narrow", Projects: []string{"p1"},
			Credentials: []Credential{cred("AKOUTSIDE00000000001", "p2")}}),
		"other projects for an existing user": acct(User{Name: "explicit", Projects: []string{"p1"}}),
	} {
		if err := Apply(ctx, bad, ids, keys); err == nil {
			t.Errorf("%s: accepted", what)
		}
	}
}
