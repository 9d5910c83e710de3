package storetest

import (
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
)

var childTests = []subtest{
	{"Versions", testVersions},
	{"Aliases", testAliases},
	{"ListAliases", testListAliases},
	{"Tags", testTags},
	{"DeleteKeyCascades", testDeleteKey},
}

func testVersions(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	k := e.key(nil)
	v := func(n int, pub []byte) domain.KeyVersion {
		return domain.KeyVersion{KeyID: k.ID, Version: n, Wrapped: []byte{byte(n), 0, 0xff}, RootKeyID: "root-1",
			PublicKey: pub, CreatedAt: base.Add(time.Duration(n) * time.Second)}
	}
	v3, v1, v2 := v(3, []byte{0x30, 0x82}), v(1, nil), v(2, []byte{})
	e.do(func(tx store.Tx) error {
		for _, x := range []domain.KeyVersion{v3, v1, v2} {
			if err := tx.CreateVersion(e.ctx, x); err != nil {
				return err
			}
		}
		got, err := tx.ListVersions(e.ctx, k.ID)
		noErr(t, err, "tx.ListVersions")
		if len(got) != 3 {
			t.Errorf("tx.ListVersions sees %d versions, want 3", len(got))
		}
		return nil
	})
	norm := func(x domain.KeyVersion) domain.KeyVersion {
		x.CreatedAt = ms(x.CreatedAt)
		if len(x.PublicKey) == 0 {
			x.PublicKey = nil // empty reads back as nil
		}
		return x
	}
	got, err := s.GetVersion(e.ctx, k.ID, 3)
	noErr(t, err, "GetVersion")
	equal(t, got, norm(v3), "GetVersion")
	list, err := s.ListVersions(e.ctx, k.ID)
	noErr(t, err, "ListVersions")
	equal(t, list, []domain.KeyVersion{norm(v1), norm(v2), norm(v3)}, "ListVersions ordered by version")

	isErr(t, e.txErr(func(tx store.Tx) error { return tx.CreateVersion(e.ctx, v(2, nil)) }), store.ErrExists, "CreateVersion same version")
	isErr(t, e.txErr(func(tx store.Tx) error {
		x := v(1, nil)
		x.KeyID = newID()
		return tx.CreateVersion(e.ctx, x)
	}), store.ErrNotFound, "CreateVersion of an unknown key")
	_, err = s.GetVersion(e.ctx, k.ID, 4)
	isErr(t, err, store.ErrNotFound, "GetVersion unknown version")
	_, err = s.GetVersion(e.ctx, newID(), 1)
	isErr(t, err, store.ErrNotFound, "GetVersion unknown key")
	list, err = s.ListVersions(e.ctx, newID())
	noErr(t, err, "ListVersions unknown key")
	equal(t, list, []domain.KeyVersion(nil), "ListVersions unknown key")

	e.do(func(tx store.Tx) error { return tx.DeleteVersions(e.ctx, k.ID) })
	list, err = s.ListVersions(e.ctx, k.ID)
	noErr(t, err, "ListVersions after DeleteVersions")
	equal(t, list, []domain.KeyVersion(nil), "ListVersions after DeleteVersions")
	if _, err := s.GetKey(e.ctx, k.ID); err != nil {
		t.Errorf("DeleteVersions removed the key: %v", err)
	}
	e.do(func(tx store.Tx) error { return tx.CreateVersion(e.ctx, v(1, nil)) }) // re-import
}

func testAliases(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	other := e.project(e.acct.ID, "other-"+newID())
	k1, k2 := e.key(nil), e.key(nil)
	a := domain.Alias{ProjectID: e.proj.ID, DomainID: e.acct.ID, Name: "alias/app", KeyID: k1.ID, CreatedAt: base, UpdatedAt: base}
	e.do(func(tx store.Tx) error { return tx.CreateAlias(e.ctx, a) })
	a.CreatedAt, a.UpdatedAt = ms(a.CreatedAt), ms(a.UpdatedAt)
	got, err := s.GetAlias(e.ctx, e.proj.ID, a.Name)
	noErr(t, err, "GetAlias")
	equal(t, got, a, "GetAlias")

	dup := a
	dup.KeyID = k2.ID
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.CreateAlias(e.ctx, dup) }), store.ErrExists, "CreateAlias same name")
	isErr(t, e.txErr(func(tx store.Tx) error {
		x := a
		x.Name, x.KeyID = "alias/dangling", newID()
		return tx.CreateAlias(e.ctx, x)
	}), store.ErrNotFound, "CreateAlias of an unknown key")
	ko := e.keyIn(other)
	e.do(func(tx store.Tx) error { // the same name in another project is fine
		x := a
		x.ProjectID, x.KeyID = other.ID, ko.ID
		return tx.CreateAlias(e.ctx, x)
	})
	n, err := s.CountAliases(e.ctx, k1.ID)
	noErr(t, err, "CountAliases")
	if n != 1 {
		t.Errorf("CountAliases = %d, want 1", n)
	}

	moved := a
	moved.KeyID, moved.UpdatedAt = k2.ID, base.Add(time.Hour)
	e.do(func(tx store.Tx) error { return tx.UpdateAlias(e.ctx, moved) })
	moved.UpdatedAt = ms(moved.UpdatedAt)
	got, err = s.GetAlias(e.ctx, e.proj.ID, a.Name)
	noErr(t, err, "GetAlias after UpdateAlias")
	equal(t, got, moved, "GetAlias after UpdateAlias")
	for id, want := range map[string]int{k1.ID: 0, k2.ID: 1} {
		if n, _ := s.CountAliases(e.ctx, id); n != want {
			t.Errorf("CountAliases after move = %d, want %d", n, want)
		}
	}
	missing := a
	missing.Name = "alias/missing"
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.UpdateAlias(e.ctx, missing) }), store.ErrNotFound, "UpdateAlias unknown")

	e.do(func(tx store.Tx) error { return tx.DeleteAlias(e.ctx, e.proj.ID, a.Name) })
	_, err = s.GetAlias(e.ctx, e.proj.ID, a.Name)
	isErr(t, err, store.ErrNotFound, "GetAlias after DeleteAlias")
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.DeleteAlias(e.ctx, e.proj.ID, a.Name) }), store.ErrNotFound, "DeleteAlias twice")
	if _, err := s.GetAlias(e.ctx, other.ID, a.Name); err != nil {
		t.Errorf("DeleteAlias removed another project's alias: %v", err)
	}
	_, err = s.GetAlias(e.ctx, newID(), a.Name)
	isErr(t, err, store.ErrNotFound, "GetAlias unknown project")
}

// keyIn creates a key in another project.
func (e *env) keyIn(p domain.Project) domain.Key {
	e.t.Helper()
	k := newKey(p)
	e.do(func(tx store.Tx) error { return tx.CreateKey(e.ctx, k) })
	return normKey(k, 1)
}

func testListAliases(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	other := e.project(e.acct.ID, "other-"+newID())
	k1, k2 := e.key(nil), e.key(nil)
	names := []string{"alias/c", "alias/B", "alias/a", "alias/a-1", "alias/Z"}
	want := map[string]domain.Alias{}
	e.do(func(tx store.Tx) error {
		for i, n := range names {
			a := domain.Alias{ProjectID: e.proj.ID, DomainID: e.acct.ID, Name: n, KeyID: k1.ID, CreatedAt: base, UpdatedAt: base}
			if i%2 == 1 {
				a.KeyID = k2.ID
			}
			if err := tx.CreateAlias(e.ctx, a); err != nil {
				return err
			}
			a.CreatedAt, a.UpdatedAt = ms(base), ms(base)
			want[n] = a
		}
		ko := newKey(other)
		if err := tx.CreateKey(e.ctx, ko); err != nil {
			return err
		}
		return tx.CreateAlias(e.ctx, domain.Alias{ProjectID: other.ID, DomainID: e.acct.ID, Name: "alias/b", KeyID: ko.ID})
	})
	pick := func(ns ...string) []domain.Alias {
		var out []domain.Alias
		for _, n := range ns {
			out = append(out, want[n])
		}
		return out
	}
	check := func(keyID, after string, limit int, wantNames []string) {
		t.Helper()
		got, err := s.ListAliases(e.ctx, e.proj.ID, keyID, after, limit)
		noErr(t, err, "ListAliases")
		equal(t, got, pick(wantNames...), "ListAliases(key "+keyID+", after "+after+")")
	}
	// Byte order: upper case before lower case.
	check("", "", 0, []string{"alias/B", "alias/Z", "alias/a", "alias/a-1", "alias/c"})
	check("", "", 2, []string{"alias/B", "alias/Z"})
	check("", "alias/Z", 2, []string{"alias/a", "alias/a-1"})
	check("", "alias/a-1", 2, []string{"alias/c"})
	check("", "alias/c", 2, nil)
	check("", "alias/b", 0, []string{"alias/c"}) // after need not exist
	check(k2.ID, "", 0, []string{"alias/B", "alias/a-1"})
	check(k1.ID, "alias/B", 1, []string{"alias/Z"})
	check(newID(), "", 0, nil)
	got, err := s.ListAliases(e.ctx, newID(), "", "", 0)
	noErr(t, err, "ListAliases unknown project")
	equal(t, got, []domain.Alias(nil), "ListAliases unknown project")
	if n, _ := s.CountAliases(e.ctx, k1.ID); n != 3 {
		t.Errorf("CountAliases(k1) = %d, want 3", n)
	}
}
