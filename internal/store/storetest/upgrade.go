package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
)

// UserProjectsUpgrade checks the upgrade to schema version 3 on a backend:
// it writes users and access keys through a store from open, turns the
// database back into version 2 with exec (dropping users.project_ids, the
// tables of later versions and their records), reopens it, and checks that
// exactly the users whose access keys are all limited are limited to the
// union of their projects.
func UserProjectsUpgrade(t *testing.T, open func(t *testing.T) store.Store, exec func(t *testing.T, stmt string)) {
	s := open(t)
	e := newEnv(t, s)
	p2 := e.project(e.acct.ID, "p2-"+newID())
	users := map[string][][]string{ // user name -> its keys' project lists
		"limited": {{e.proj.ID}, {p2.ID, e.proj.ID}},
		"mixed":   {{e.proj.ID}, nil},
		"keyless": nil,
		"one":     {{p2.ID}},
	}
	ids := map[string]string{}
	e.do(func(tx store.Tx) error {
		for name, keys := range users {
			u := domain.User{ID: newID(), Name: name, DomainID: e.acct.ID, CreatedAt: base}
			ids[name] = u.ID
			if err := tx.CreateUser(e.ctx, u); err != nil {
				return err
			}
			for _, projects := range keys {
				c := domain.Credential{AccessKey: "AK" + newID()[:18], RootKeyID: "r", UserID: u.ID, DomainID: e.acct.ID, ProjectIDs: projects}
				if err := tx.CreateCredential(e.ctx, c); err != nil {
					return err
				}
			}
		}
		return nil
	})
	noErr(t, s.Close(), "Close")
	exec(t, "ALTER TABLE users DROP COLUMN project_ids")
	downgrade(t, exec, 2)

	s = open(t)
	defer s.Close()
	want := map[string][]string{"limited": sortedIDs(e.proj.ID, p2.ID), "mixed": nil, "keyless": nil, "one": {p2.ID}}
	for name, projects := range want {
		u, err := s.GetUser(e.ctx, ids[name])
		noErr(t, err, "GetUser after the upgrade")
		equal(t, u.ProjectIDs, projects, "projects of user "+name+" after the upgrade")
	}
}

func sortedIDs(a, b string) []string {
	if b < a {
		a, b = b, a
	}
	return []string{a, b}
}

// laterTables lists the tables each schema version after 3 created,
// laterColumns the columns they added to earlier tables ("table.column"),
// and laterIndexes the indexes.
var (
	laterTables = map[int][]string{
		4: {"seal_reservations"},
		5: {"keystores", "replica_links", "material_groups"},
		6: {"iam_assignments", "iam_group_members", "iam_policies", "iam_groups"},
		7: {"root_key_rotations"}, // its indexes on key_versions and credentials may stay: 7 re-creates them if absent
		8: {"key_counts", "tag_counts"},
	}
	laterColumns = map[int][]string{
		6: {"users.disabled", "users.description", "users.token_epoch", "credentials.inactive", "credentials.description"},
	}
	laterIndexes = map[int][]string{
		8: {"keys_project_spec_created", "keys_project_state_created", "keys_project_spec_state_created", "tags_key_value",
			"keys_due_deletion", "keys_due_rotation", "keys_due_expiry"},
	}
)

// downgrade turns a closed database back into schema version v with exec:
// it drops the tables and columns of later versions after 3 and their
// migration records. Columns that versions up to 3 added are the caller's
// to drop.
func downgrade(t *testing.T, exec func(t *testing.T, stmt string), v int) {
	t.Helper()
	for version := slices.Max(slices.Collect(maps.Keys(laterTables))); version > v; version-- {
		for _, table := range laterTables[version] {
			exec(t, "DROP TABLE "+table)
		}
		for _, col := range laterColumns[version] {
			table, column, _ := strings.Cut(col, ".")
			exec(t, "ALTER TABLE "+table+" DROP COLUMN "+column)
		}
		for _, index := range laterIndexes[version] {
			exec(t, "DROP INDEX "+index)
		}
	}
	exec(t, fmt.Sprintf("DELETE FROM schema_migrations WHERE version > %d", v))
}

// legacyKeystore is a keystore as versions 1 to 4 kept it, in a setting.
type legacyKeystore struct {
	ID        string    `json:"id"`
	DomainID  string    `json:"domain_id"`
	ProjectID string    `json:"project_id"`
	Alias     string    `json:"alias"`
	State     string    `json:"state"`
	CreatedAt time.Time `json:"created_at"`
}

// KeystoresAndReplicasUpgrade checks the upgrade to schema version 5 on a
// backend: it writes keystores, replica links and material groups as the
// settings in which versions 1 to 4 kept them, turns the database back into
// version 4 with exec, reopens it, and checks that they moved into their
// tables (keystores in the order of their index, links of deleted keys
// dropped, material groups of deleted keys kept) and that the settings are
// gone.
func KeystoresAndReplicasUpgrade(t *testing.T, open func(t *testing.T) store.Store, exec func(t *testing.T, stmt string)) {
	s := open(t)
	e := newEnv(t, s)
	p2, p3 := e.project(e.acct.ID, "local-2"), e.project(e.acct.ID, "local-3")
	primary, r2, r3 := e.key(nil), e.keyIn(p2), e.keyIn(p3)
	gone, orphan, goneP := e.keyIn(p3), e.keyIn(p2), e.key(nil)
	e.do(func(tx store.Tx) error {
		return errors.Join(tx.DeleteKey(e.ctx, gone.ID), tx.DeleteKey(e.ctx, goneP.ID))
	})
	// ks1 sorts first by id, ks2 by creation (index) order.
	ks1 := store.Keystore{ID: "a" + newID()[1:], DomainID: e.acct.ID, ProjectID: e.proj.ID, Alias: "ks-1", State: "2", CreatedAt: ms(base)}
	ks2 := store.Keystore{ID: "b" + newID()[1:], DomainID: e.acct.ID, ProjectID: e.proj.ID, Alias: "ks-2", State: "3", CreatedAt: ms(base)}
	asJSON := func(v any) []byte {
		b, err := json.Marshal(v)
		noErr(t, err, "json")
		return b
	}
	old := map[string][]byte{
		"keystore:" + e.proj.ID + ":" + ks1.ID:  asJSON(legacyKeystore(ks1)),
		"keystore:" + e.proj.ID + ":" + ks2.ID:  asJSON(legacyKeystore(ks2)),
		"keystores:" + e.proj.ID:                asJSON([]string{ks2.ID, ks1.ID}), // creation order
		"keystore-alias:" + e.acct.ID + ":ks-1": []byte(ks1.ID),
		"keystore-alias:" + e.acct.ID + ":ks-2": []byte(ks2.ID),
		"replica-of:" + r2.ID:                   []byte(primary.ID),
		"replica-of:" + r3.ID:                   []byte(primary.ID),
		"replica-of:" + gone.ID:                 []byte(primary.ID), // a deleted replica
		"replica-of:" + orphan.ID:               []byte(goneP.ID),   // a deleted primary
		"replicas:" + primary.ID:                asJSON(map[string]string{"local-2": r2.ID, "local-3": r3.ID, "local-4": gone.ID}),
		"replicas:" + goneP.ID:                  asJSON(map[string]string{"local-2": orphan.ID}),
		"material-group:" + r2.ID:               []byte(primary.ID),
		"material-group:" + r3.ID:               []byte(primary.ID),
		"material-group:" + gone.ID:             []byte(primary.ID),
		"material-group:" + orphan.ID:           []byte(goneP.ID),
	}
	other := "token-signing-key-" + newID()
	e.do(func(tx store.Tx) error {
		for name, v := range old {
			if err := tx.PutSetting(e.ctx, name, v, true); err != nil {
				return err
			}
		}
		return tx.PutSetting(e.ctx, other, []byte("kept"), true)
	})
	noErr(t, s.Close(), "Close")
	downgrade(t, exec, 4)

	s = open(t)
	defer s.Close()
	e.s = s
	list, total, err := s.ListKeystores(e.ctx, e.proj.ID, store.Page{})
	noErr(t, err, "ListKeystores after the upgrade")
	equal(t, list, []store.Keystore{ks2, ks1}, "keystores after the upgrade, in index order")
	equal(t, total, 2, "keystore total after the upgrade")
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.CreateKeystore(e.ctx, e.newKeystore(p2.ID, "ks-1")) }),
		store.ErrExists, "CreateKeystore with a moved alias")
	next := e.keystore(e.proj.ID, "ks-3")
	list, _, _ = s.ListKeystores(e.ctx, e.proj.ID, store.Page{})
	equal(t, list, []store.Keystore{ks2, ks1, next}, "a keystore created after the upgrade comes last")

	equal(t, e.replicas(primary.ID), []store.ReplicaLink{
		{KeyID: r2.ID, PrimaryID: primary.ID, Region: "local-2"}, {KeyID: r3.ID, PrimaryID: primary.ID, Region: "local-3"},
	}, "replicas after the upgrade")
	for _, id := range []string{gone.ID, orphan.ID} {
		_, err := s.GetReplicaLink(e.ctx, id)
		isErr(t, err, store.ErrNotFound, "link of a deleted key (or to one) after the upgrade")
	}
	for id, group := range map[string]string{r2.ID: primary.ID, r3.ID: primary.ID, gone.ID: primary.ID, orphan.ID: goneP.ID} {
		got, err := s.GetMaterialGroup(e.ctx, id)
		noErr(t, err, "GetMaterialGroup after the upgrade")
		equal(t, got, group, "material group after the upgrade")
	}
	for name := range old {
		_, err := s.GetSetting(e.ctx, name)
		isErr(t, err, store.ErrNotFound, "setting "+name+" after the upgrade")
	}
	got, err := s.GetSetting(e.ctx, other)
	noErr(t, err, "another setting after the upgrade")
	equal(t, got, []byte("kept"), "another setting after the upgrade")
}

// AdminGroupsUpgrade checks the upgrade to schema version 6 on a backend:
// it creates users in two accounts, turns the database back into version
// 5 with exec, reopens it, and checks that each account got an admin group
// holding every one of its users (before version 6 every user could do
// everything in its account).
func AdminGroupsUpgrade(t *testing.T, open func(t *testing.T) store.Store, exec func(t *testing.T, stmt string)) {
	s := open(t)
	e, other := newEnv(t, s), newEnv(t, s)
	var ids []string
	e.do(func(tx store.Tx) error {
		for i, acct := range []string{e.acct.ID, e.acct.ID, other.acct.ID} {
			u := domain.User{ID: newID(), Name: fmt.Sprintf("u%d", i), DomainID: acct, CreatedAt: base}
			ids = append(ids, u.ID)
			if err := tx.CreateUser(e.ctx, u); err != nil {
				return err
			}
		}
		return nil
	})
	noErr(t, s.Close(), "Close")
	downgrade(t, exec, 5)

	s = open(t)
	defer s.Close()
	for i, id := range ids {
		gs, err := s.ListUserGroups(e.ctx, id)
		noErr(t, err, "ListUserGroups after the upgrade")
		if len(gs) != 1 || gs[0].Name != domain.AdminGroup {
			t.Errorf("user %d after the upgrade: groups %+v, want its account's admin group", i, gs)
		}
	}
	a, _ := s.ListUserGroups(e.ctx, ids[0])
	b, _ := s.ListUserGroups(e.ctx, ids[1])
	c, _ := s.ListUserGroups(e.ctx, ids[2])
	if len(a)+len(b)+len(c) == 3 && (a[0].ID != b[0].ID || a[0].ID == c[0].ID) {
		t.Errorf("admin groups: one per account expected, got %s %s %s", a[0].ID, b[0].ID, c[0].ID)
	}
}
