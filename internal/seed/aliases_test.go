package seed

import (
	"context"
	"strings"
	"testing"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/iam"
	"github.com/kmsd/kmsd/internal/service"
	"github.com/kmsd/kmsd/internal/testkit"
)

// TestAliases: a seeded key gets its aliases (alias/…), which resolve to it;
// applying the file again is a no-op; an alias of another key, or a name
// without the alias/ prefix, fails.
func TestAliases(t *testing.T) {
	ctx := context.Background()
	st, rk := testkit.SQLite(t)
	ids := iam.New(iam.Options{Store: st, Root: rk})
	keys := service.New(service.Options{Store: st, Root: rk})
	file := func(ks ...Key) File {
		return File{Accounts: []Account{{Name: "acct", Projects: []Project{{Name: "local-1", Keys: ks}}}}}
	}
	const id1, id2 = "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"
	f := file(Key{ID: id1, Alias: "one", Aliases: []string{"alias/app", "alias/team/app"}}, Key{ID: id2, Alias: "two"})
	for range 2 {
		if err := Apply(ctx, f, ids, keys); err != nil {
			t.Fatal(err)
		}
	}
	a, err := st.GetAccountByName(ctx, "acct")
	if err != nil {
		t.Fatal(err)
	}
	ps, err := st.ListProjects(ctx, a.ID, "local-1")
	if err != nil || len(ps) != 1 {
		t.Fatal(ps, err)
	}
	c := domain.Caller{DomainID: a.ID, ProjectID: ps[0].ID, Region: "local-1"}
	for _, name := range []string{"alias/app", "alias/team/app"} {
		if got, err := keys.ResolveKeyRef(ctx, c, name); err != nil || got != id1 {
			t.Errorf("%s resolves to %q (%v), want %s", name, got, err, id1)
		}
	}
	for what, tc := range map[string]struct {
		f    File
		want string
	}{
		"an alias of another key": {file(Key{ID: id2, Aliases: []string{"alias/app"}}), "points at key " + id1},
		"no alias/ prefix":        {file(Key{ID: id2, Aliases: []string{"app"}}), `must start with "alias/"`},
	} {
		if err := Apply(ctx, tc.f, ids, keys); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", what, err, tc.want)
		}
	}
}
