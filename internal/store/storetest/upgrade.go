package storetest

import (
	"fmt"
	"testing"

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

// laterTables lists the tables each schema version after 3 created.
var laterTables = map[int][]string{
	4: {"seal_reservations"},
	5: {"keystores", "replica_links", "material_groups"},
}

// downgrade turns a closed database back into schema version v with exec:
// it drops the tables of later versions and their migration records.
// Columns that later versions added are the caller's to drop.
func downgrade(t *testing.T, exec func(t *testing.T, stmt string), v int) {
	t.Helper()
	for version := len(laterTables) + 3; version > v; version-- {
		for _, table := range laterTables[version] {
			exec(t, "DROP TABLE "+table)
		}
	}
	exec(t, fmt.Sprintf("DELETE FROM schema_migrations WHERE version > %d", v))
}
