package storetest

import (
	"testing"

	"github.com/kmsd/kmsd/internal/store"
)

// RunShared checks two stores opened on the same database, as two nodes of a
// cluster would: writes through one are visible to and watched by the other,
// and transactions through both are serialized. openA and openB are called
// once per parallel subtest and must return stores on the same database. It
// applies to backends whose Watch spans processes.
func RunShared(t *testing.T, openA, openB func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, a, b store.Store)
	}{
		{"ReadAfterWrite", testSharedReadAfterWrite},
		{"RevisionConflict", testSharedConflict},
		{"Watch", testSharedWatch},
		{"ConcurrentQuota", concurrentQuota},
		{"ConcurrentAlias", concurrentAlias},
		{"ConcurrentLoginFailures", concurrentLoginFailures},
		{"ConcurrentSeals", concurrentSeals},
		{"WatchKeystoresAndLinks", testSharedWatchRegions},
	}
	for _, st := range tests {
		t.Run(st.name, func(t *testing.T) {
			t.Parallel()
			st.fn(t, openClosed(t, openA), openClosed(t, openB))
		})
	}
}

func testSharedReadAfterWrite(t *testing.T, a, b store.Store) {
	e := newEnv(t, a)
	got, err := b.GetProject(e.ctx, e.proj.ID)
	noErr(t, err, "B.GetProject")
	equal(t, got, e.proj, "B.GetProject")
	k := e.key(nil)
	gk, err := b.GetKey(e.ctx, k.ID)
	noErr(t, err, "B.GetKey right after A's commit")
	equal(t, gk, k, "B.GetKey")

	eb := &env{t: t, s: b, ctx: e.ctx, acct: e.acct, proj: e.proj}
	k.Description = "updated through B"
	eb.do(func(tx store.Tx) error { return tx.UpdateKey(e.ctx, k) })
	ga, err := a.GetKey(e.ctx, k.ID)
	noErr(t, err, "A.GetKey")
	equal(t, ga, normKey(k, 2), "A.GetKey after B's update")
}

func testSharedConflict(t *testing.T, a, b store.Store) {
	e := newEnv(t, a)
	k := e.key(nil)
	k.Description = "A wins"
	e.do(func(tx store.Tx) error { return tx.UpdateKey(e.ctx, k) })
	k.Description = "B is stale"
	isErr(t, b.Update(e.ctx, func(tx store.Tx) error { return tx.UpdateKey(e.ctx, k) }), store.ErrConflict, "B.UpdateKey with a stale revision")
	got, _ := b.GetKey(e.ctx, k.ID)
	if got.Description != "A wins" || got.Revision != 2 {
		t.Errorf("after conflict: %q revision %d", got.Description, got.Revision)
	}
}

func testSharedWatch(t *testing.T, a, b store.Store) {
	e := newEnv(t, a)
	ch := b.Watch(e.ctx)
	k := e.key(nil)
	await(t, ch, store.Change{Kind: store.ChangeKey, ID: k.ID}, nil)
	k.Description = "changed on A"
	e.do(func(tx store.Tx) error { return tx.UpdateKey(e.ctx, k) })
	await(t, ch, store.Change{Kind: store.ChangeKey, ID: k.ID}, nil)
	g := newGrant(e, k.ID, "u", "", base)
	e.do(func(tx store.Tx) error { return tx.CreateGrant(e.ctx, g) })
	await(t, ch, store.Change{Kind: store.ChangeGrant, ID: k.ID}, nil)
}

// testSharedWatchRegions: keystore and replica link changes reach the
// other node.
func testSharedWatchRegions(t *testing.T, a, b store.Store) {
	e := newEnv(t, a)
	ch := b.Watch(e.ctx)
	ks := e.keystore(e.proj.ID, "ks-"+newID())
	await(t, ch, store.Change{Kind: store.ChangeKeystore, ID: ks.ID}, nil)
	p, r := e.key(nil), e.key(nil)
	e.link(r.ID, p.ID, "local-2")
	got := map[store.Change]bool{}
	await(t, ch, store.Change{Kind: store.ChangeKey, ID: p.ID}, func(c store.Change) { got[c] = true })
	if !got[store.Change{Kind: store.ChangeKey, ID: r.ID}] {
		await(t, ch, store.Change{Kind: store.ChangeKey, ID: r.ID}, nil)
	}
}
