package storetest

import (
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
)

var rewrapTests = []subtest{
	{"ListAndReplaceWrapped", testListAndReplaceWrapped},
	{"Rotations", testRotations},
}

// testListAndReplaceWrapped: ListWrapped pages through the secrets of one
// root key in (id, version) order, skips rows without a secret, and
// ReplaceWrapped swaps a secret only if it is unchanged.
func testListAndReplaceWrapped(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	root, other := "root-"+newID(), "root-"+newID()
	k1, k2 := e.key(nil), e.key(nil)
	u := domain.User{ID: newID(), Name: "svc", DomainID: e.acct.ID, PasswordHash: "x", CreatedAt: base}
	ak := "AK" + newID()[:18]
	e.do(func(tx store.Tx) error {
		for _, v := range []domain.KeyVersion{
			{KeyID: k1.ID, Version: 2, Wrapped: []byte{12}, RootKeyID: root, CreatedAt: base},
			{KeyID: k1.ID, Version: 1, Wrapped: []byte{11}, RootKeyID: root, CreatedAt: base},
			{KeyID: k1.ID, Version: 3, Wrapped: nil, RootKeyID: root, CreatedAt: base}, // no material
			{KeyID: k2.ID, Version: 1, Wrapped: []byte{21}, RootKeyID: other, CreatedAt: base},
		} {
			if err := tx.CreateVersion(e.ctx, v); err != nil {
				return err
			}
		}
		if err := tx.CreateUser(e.ctx, u); err != nil {
			return err
		}
		return tx.CreateCredential(e.ctx, domain.Credential{AccessKey: ak, WrappedSK: []byte{7}, RootKeyID: root,
			UserID: u.ID, DomainID: e.acct.ID, ProjectIDs: []string{e.proj.ID}, CreatedAt: base})
	})
	all := func(kind store.WrappedKind, rootKeyID string, limit int) []store.Wrapped {
		var out []store.Wrapped
		f := store.WrappedFilter{Kind: kind, RootKeyID: rootKeyID, Limit: limit}
		for {
			page, err := s.ListWrapped(e.ctx, f)
			noErr(t, err, "ListWrapped")
			if len(page) > limit {
				t.Fatalf("ListWrapped returned %d, limit %d", len(page), limit)
			}
			out = append(out, page...)
			if len(page) < limit {
				return out
			}
			f.AfterID, f.AfterVersion = page[len(page)-1].ID, page[len(page)-1].Version
		}
	}
	v1 := store.Wrapped{Kind: store.WrappedVersion, ID: k1.ID, Version: 1, Blob: []byte{11}, RootKeyID: root}
	v2 := store.Wrapped{Kind: store.WrappedVersion, ID: k1.ID, Version: 2, Blob: []byte{12}, RootKeyID: root}
	cred := store.Wrapped{Kind: store.WrappedCredential, ID: ak, Blob: []byte{7}, RootKeyID: root}
	equal(t, all(store.WrappedVersion, root, 1), []store.Wrapped{v1, v2}, "versions under root, one per page")
	equal(t, all(store.WrappedCredential, root, 10), []store.Wrapped{cred}, "credentials under root")
	n, err := s.CountWrapped(e.ctx, root)
	noErr(t, err, "CountWrapped")
	equal(t, n, int64(3), "CountWrapped(root)")
	found := false
	for _, w := range all(store.WrappedVersion, "", 1000) {
		found = found || (w.ID == k2.ID && w.RootKeyID == other)
	}
	if !found {
		t.Error("ListWrapped without a root key id misses a version of another root key")
	}

	next := "root-" + newID()
	e.do(func(tx store.Tx) error {
		noErr(t, tx.ReplaceWrapped(e.ctx, v1, []byte{1, 1}, next), "ReplaceWrapped v1")
		noErr(t, tx.ReplaceWrapped(e.ctx, cred, []byte{7, 7}, next), "ReplaceWrapped credential")
		isErr(t, tx.ReplaceWrapped(e.ctx, v1, []byte{1, 2}, next), store.ErrConflict, "ReplaceWrapped of a replaced secret")
		stale := v2
		stale.Blob = []byte{99}
		isErr(t, tx.ReplaceWrapped(e.ctx, stale, []byte{1, 2}, next), store.ErrConflict, "ReplaceWrapped with a stale blob")
		gone := v2
		gone.Version = 9
		isErr(t, tx.ReplaceWrapped(e.ctx, gone, []byte{1}, next), store.ErrNotFound, "ReplaceWrapped of a missing version")
		return nil
	})
	got, err := s.GetVersion(e.ctx, k1.ID, 1)
	noErr(t, err, "GetVersion")
	equal(t, [2]any{got.Wrapped, got.RootKeyID}, [2]any{[]byte{1, 1}, next}, "version 1 after ReplaceWrapped")
	c, err := s.GetCredential(e.ctx, ak)
	noErr(t, err, "GetCredential")
	equal(t, [2]any{c.WrappedSK, c.RootKeyID}, [2]any{[]byte{7, 7}, next}, "credential after ReplaceWrapped")
	equal(t, all(store.WrappedVersion, root, 10), []store.Wrapped{v2}, "versions still under root")
	n, err = s.CountWrapped(e.ctx, next)
	noErr(t, err, "CountWrapped(next)")
	equal(t, n, int64(2), "CountWrapped(next)")
}

// testRotations: jobs are created once and replaced per (From, To), read
// back as written, and listed.
func testRotations(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	from, to := "root-"+newID(), "root-"+newID()
	_, err := s.GetRotation(e.ctx, from, to)
	isErr(t, err, store.ErrNotFound, "GetRotation before CreateRotation")
	r := store.Rotation{From: from, To: to, Owner: "node-a", LeaseUntil: base.Add(time.Minute), StartedAt: base}
	e.do(func(tx store.Tx) error {
		_, err := tx.GetRotationForUpdate(e.ctx, from, to)
		isErr(t, err, store.ErrNotFound, "GetRotationForUpdate before CreateRotation")
		isErr(t, tx.UpdateRotation(e.ctx, r), store.ErrNotFound, "UpdateRotation before CreateRotation")
		return tx.CreateRotation(e.ctx, r)
	})
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.CreateRotation(e.ctx, r) }), store.ErrExists, "CreateRotation again")
	got, err := s.GetRotation(e.ctx, from, to)
	noErr(t, err, "GetRotation")
	want := r
	want.LeaseUntil, want.StartedAt = ms(r.LeaseUntil), ms(r.StartedAt)
	equal(t, got, want, "rotation as created")
	r.Done, r.Owner, r.Rewrapped, r.FinishedAt = true, "node-b", 1<<33, base.Add(time.Hour)
	e.do(func(tx store.Tx) error {
		locked, err := tx.GetRotationForUpdate(e.ctx, from, to)
		noErr(t, err, "GetRotationForUpdate")
		equal(t, locked, want, "locked rotation")
		return tx.UpdateRotation(e.ctx, r)
	})
	want = r
	want.LeaseUntil, want.StartedAt, want.FinishedAt = ms(r.LeaseUntil), ms(r.StartedAt), ms(r.FinishedAt)
	got, err = s.GetRotation(e.ctx, from, to)
	noErr(t, err, "GetRotation after the update")
	equal(t, got, want, "rotation as replaced")
	rs, err := s.ListRotations(e.ctx)
	noErr(t, err, "ListRotations")
	n := 0
	for _, x := range rs {
		if x.From == from {
			n++
			equal(t, x, want, "listed rotation")
		}
	}
	equal(t, n, 1, "rotations from this root key")
}
