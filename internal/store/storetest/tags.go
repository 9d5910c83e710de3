package storetest

import (
	"testing"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
)

func testTags(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	other := e.project(e.acct.ID, "other-"+newID())
	k1, k2, k3 := e.key(nil), e.key(nil), e.key(nil)
	ko := e.keyIn(other)
	tags := []domain.Tag{{Key: "env", Value: "prod"}, {Key: "Team", Value: "kms"}, {Key: "empty", Value: ""}}
	e.do(func(tx store.Tx) error {
		if err := tx.ReplaceTags(e.ctx, k1.ID, tags); err != nil {
			return err
		}
		if err := tx.ReplaceTags(e.ctx, k2.ID, []domain.Tag{{Key: "a", Value: "1"}}); err != nil {
			return err
		}
		if err := tx.ReplaceTags(e.ctx, ko.ID, []domain.Tag{{Key: "x", Value: "y"}}); err != nil {
			return err
		}
		got, err := tx.ListTags(e.ctx, k1.ID)
		noErr(t, err, "tx.ListTags")
		if len(got) != 3 {
			t.Errorf("tx.ListTags sees %d tags, want 3", len(got))
		}
		return nil
	})
	sorted := []domain.Tag{{Key: "Team", Value: "kms"}, {Key: "empty", Value: ""}, {Key: "env", Value: "prod"}}
	got, err := s.ListTags(e.ctx, k1.ID)
	noErr(t, err, "ListTags")
	equal(t, got, sorted, "ListTags ordered by tag key")
	got, err = s.ListTags(e.ctx, k3.ID)
	noErr(t, err, "ListTags untagged")
	equal(t, got, []domain.Tag(nil), "ListTags untagged")

	pt, err := s.ListProjectTags(e.ctx, e.proj.ID)
	noErr(t, err, "ListProjectTags")
	equal(t, pt, map[string][]domain.Tag{k1.ID: sorted, k2.ID: {{Key: "a", Value: "1"}}}, "ListProjectTags")
	pt, err = s.ListProjectTags(e.ctx, newID())
	noErr(t, err, "ListProjectTags unknown project")
	if len(pt) != 0 {
		t.Errorf("ListProjectTags unknown project = %v", pt)
	}

	// Replace, refuse duplicates and unknown keys, clear.
	e.do(func(tx store.Tx) error { return tx.ReplaceTags(e.ctx, k1.ID, []domain.Tag{{Key: "env", Value: "dev"}}) })
	got, _ = s.ListTags(e.ctx, k1.ID)
	equal(t, got, []domain.Tag{{Key: "env", Value: "dev"}}, "ListTags after replace")
	isErr(t, e.txErr(func(tx store.Tx) error {
		return tx.ReplaceTags(e.ctx, k1.ID, []domain.Tag{{Key: "a", Value: "1"}, {Key: "a", Value: "2"}})
	}), store.ErrExists, "ReplaceTags duplicate tag keys")
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.ReplaceTags(e.ctx, newID(), tags) }), store.ErrNotFound, "ReplaceTags unknown key")
	got, _ = s.ListTags(e.ctx, k1.ID)
	equal(t, got, []domain.Tag{{Key: "env", Value: "dev"}}, "ListTags after refused replace")
	e.do(func(tx store.Tx) error { return tx.ReplaceTags(e.ctx, k1.ID, nil) })
	got, _ = s.ListTags(e.ctx, k1.ID)
	equal(t, got, []domain.Tag(nil), "ListTags after clearing")
}

func testDeleteKey(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	k, keep := e.key(nil), e.key(nil)
	retiree := "retiree-" + newID()
	var grantIDs []string
	e.do(func(tx store.Tx) error {
		for _, id := range []string{k.ID, keep.ID} {
			if err := tx.CreateVersion(e.ctx, domain.KeyVersion{KeyID: id, Version: 1, Wrapped: []byte{1}, RootKeyID: "r"}); err != nil {
				return err
			}
			if err := tx.CreateAlias(e.ctx, domain.Alias{ProjectID: e.proj.ID, DomainID: e.acct.ID, Name: "alias/" + id, KeyID: id}); err != nil {
				return err
			}
			if err := tx.ReplaceTags(e.ctx, id, []domain.Tag{{Key: "k", Value: "v"}}); err != nil {
				return err
			}
			g := newGrant(e, id, "grantee", retiree, base)
			grantIDs = append(grantIDs, g.ID)
			if err := tx.CreateGrant(e.ctx, g); err != nil {
				return err
			}
		}
		return nil
	})
	e.do(func(tx store.Tx) error { return tx.DeleteKey(e.ctx, k.ID) })

	_, err := s.GetKey(e.ctx, k.ID)
	isErr(t, err, store.ErrNotFound, "GetKey after DeleteKey")
	if v, _ := s.ListVersions(e.ctx, k.ID); len(v) != 0 {
		t.Errorf("versions survive DeleteKey: %v", v)
	}
	_, err = s.GetAlias(e.ctx, e.proj.ID, "alias/"+k.ID)
	isErr(t, err, store.ErrNotFound, "GetAlias after DeleteKey")
	if n, _ := s.CountAliases(e.ctx, k.ID); n != 0 {
		t.Errorf("CountAliases after DeleteKey = %d", n)
	}
	if tg, _ := s.ListTags(e.ctx, k.ID); len(tg) != 0 {
		t.Errorf("tags survive DeleteKey: %v", tg)
	}
	_, err = s.GetGrant(e.ctx, grantIDs[0])
	isErr(t, err, store.ErrNotFound, "GetGrant after DeleteKey")
	if _, total, _ := s.ListGrants(e.ctx, k.ID, store.Page{}); total != 0 {
		t.Errorf("ListGrants after DeleteKey: total %d", total)
	}
	if gs, total, _ := s.ListRetirableGrants(e.ctx, []string{retiree}, store.Page{}); total != 1 || len(gs) != 1 || gs[0].KeyID != keep.ID {
		t.Errorf("ListRetirableGrants after DeleteKey = %v (total %d), want only the kept key's grant", gs, total)
	}

	// The other key is untouched; the deleted key's names can be reused.
	if v, _ := s.ListVersions(e.ctx, keep.ID); len(v) != 1 {
		t.Errorf("kept key has %d versions", len(v))
	}
	if tg, _ := s.ListTags(e.ctx, keep.ID); len(tg) != 1 {
		t.Errorf("kept key has %d tags", len(tg))
	}
	if _, err := s.GetAlias(e.ctx, e.proj.ID, "alias/"+keep.ID); err != nil {
		t.Errorf("kept key lost its alias: %v", err)
	}
	e.do(func(tx store.Tx) error {
		again := newKey(e.proj)
		again.ID, again.Alias = k.ID, k.Alias
		if err := tx.CreateKey(e.ctx, again); err != nil {
			return err
		}
		return tx.CreateAlias(e.ctx, domain.Alias{ProjectID: e.proj.ID, DomainID: e.acct.ID, Name: "alias/" + k.ID, KeyID: k.ID})
	})
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.DeleteKey(e.ctx, newID()) }), store.ErrNotFound, "DeleteKey unknown")
}
