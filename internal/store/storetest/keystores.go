package storetest

import (
	"testing"

	"github.com/kmsd/kmsd/internal/store"
)

var keystoreTests = []subtest{
	{"Keystores", testKeystores},
	{"ListKeystores", testListKeystores},
}

// newKeystore returns a disabled keystore of project p of e's account.
func (e *env) newKeystore(projectID, alias string) store.Keystore {
	return store.Keystore{ID: newID(), DomainID: e.acct.ID, ProjectID: projectID, Alias: alias, State: "3", CreatedAt: base}
}

// keystore creates a keystore and returns it as the store returns it.
func (e *env) keystore(projectID, alias string) store.Keystore {
	e.t.Helper()
	ks := e.newKeystore(projectID, alias)
	e.do(func(tx store.Tx) error { return tx.CreateKeystore(e.ctx, ks) })
	ks.CreatedAt = ms(ks.CreatedAt)
	return ks
}

// testKeystores: create, read, update and delete; aliases are unique in the
// account, not only in the project; reads are per project.
func testKeystores(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	other := e.project(e.acct.ID, "other-"+newID())
	stranger := newEnv(t, s)
	ks := e.keystore(e.proj.ID, "ks-1")
	got, err := s.GetKeystore(e.ctx, e.proj.ID, ks.ID)
	noErr(t, err, "GetKeystore")
	equal(t, got, ks, "GetKeystore")
	_, err = s.GetKeystore(e.ctx, other.ID, ks.ID)
	isErr(t, err, store.ErrNotFound, "GetKeystore from another project")
	_, err = s.GetKeystore(e.ctx, e.proj.ID, newID())
	isErr(t, err, store.ErrNotFound, "GetKeystore unknown")

	isErr(t, e.txErr(func(tx store.Tx) error { return tx.CreateKeystore(e.ctx, e.newKeystore(other.ID, "ks-1")) }),
		store.ErrExists, "CreateKeystore with an alias of the account")
	dup := e.newKeystore(e.proj.ID, "ks-2")
	dup.ID = ks.ID
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.CreateKeystore(e.ctx, dup) }), store.ErrExists, "CreateKeystore same id")
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.CreateKeystore(e.ctx, e.newKeystore(newID(), "ks-3")) }),
		store.ErrNotFound, "CreateKeystore in an unknown project")
	theirs := stranger.keystore(stranger.proj.ID, "ks-1") // another account may use the alias

	ks.State = "2"
	e.do(func(tx store.Tx) error {
		if err := tx.UpdateKeystore(e.ctx, ks); err != nil {
			return err
		}
		got, err := tx.GetKeystore(e.ctx, e.proj.ID, ks.ID)
		noErr(t, err, "tx.GetKeystore")
		equal(t, got, ks, "tx.GetKeystore after UpdateKeystore")
		return nil
	})
	got, _ = s.GetKeystore(e.ctx, e.proj.ID, ks.ID)
	equal(t, got, ks, "GetKeystore after UpdateKeystore")
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.UpdateKeystore(e.ctx, e.newKeystore(e.proj.ID, "x")) }),
		store.ErrNotFound, "UpdateKeystore unknown")

	isErr(t, e.txErr(func(tx store.Tx) error { return tx.DeleteKeystore(e.ctx, other.ID, ks.ID) }),
		store.ErrNotFound, "DeleteKeystore from another project")
	e.do(func(tx store.Tx) error { return tx.DeleteKeystore(e.ctx, e.proj.ID, ks.ID) })
	_, err = s.GetKeystore(e.ctx, e.proj.ID, ks.ID)
	isErr(t, err, store.ErrNotFound, "GetKeystore after DeleteKeystore")
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.DeleteKeystore(e.ctx, e.proj.ID, ks.ID) }),
		store.ErrNotFound, "DeleteKeystore twice")
	e.keystore(other.ID, "ks-1") // the alias is free again
	got, err = s.GetKeystore(e.ctx, stranger.proj.ID, theirs.ID)
	noErr(t, err, "GetKeystore of another account")
	equal(t, got, theirs, "another account's keystore")
}

// testListKeystores: creation order (not id order, even within one
// millisecond), windows and totals, one project only.
func testListKeystores(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	other := e.project(e.acct.ID, "other-"+newID())
	var all []store.Keystore
	for _, alias := range []string{"c", "a", "d", "b"} { // same CreatedAt, random ids
		all = append(all, e.keystore(e.proj.ID, alias+"-"+newID()))
	}
	e.keystore(other.ID, "o-"+newID())
	for _, tc := range []struct {
		p    store.Page
		want []store.Keystore
	}{
		{store.Page{}, all},
		{store.Page{Limit: 2}, all[:2]},
		{store.Page{Offset: 1, Limit: 2}, all[1:3]},
		{store.Page{Offset: 3, Limit: 2}, all[3:]},
		{store.Page{Offset: 4}, nil},
		{store.Page{Offset: 9, Limit: 1}, nil},
	} {
		got, total, err := s.ListKeystores(e.ctx, e.proj.ID, tc.p)
		noErr(t, err, "ListKeystores")
		equal(t, got, tc.want, "ListKeystores window")
		if total != len(all) {
			t.Errorf("ListKeystores(%+v) total = %d, want %d", tc.p, total, len(all))
		}
	}
	e.do(func(tx store.Tx) error { return tx.DeleteKeystore(e.ctx, e.proj.ID, all[1].ID) })
	last := e.keystore(e.proj.ID, "e-"+newID())
	got, total, err := s.ListKeystores(e.ctx, e.proj.ID, store.Page{})
	noErr(t, err, "ListKeystores after a deletion")
	equal(t, got, []store.Keystore{all[0], all[2], all[3], last}, "ListKeystores after a deletion and a creation")
	if total != 4 {
		t.Errorf("total %d, want 4", total)
	}
	got, total, err = s.ListKeystores(e.ctx, newID(), store.Page{})
	noErr(t, err, "ListKeystores unknown project")
	if got != nil || total != 0 {
		t.Errorf("ListKeystores(unknown project) = %v, %d", got, total)
	}
}
