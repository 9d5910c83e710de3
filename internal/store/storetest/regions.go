package storetest

import (
	"errors"
	"testing"

	"github.com/kmsd/kmsd/internal/store"
)

var regionTests = []subtest{
	{"ReplicaLinks", testReplicaLinks},
	{"MaterialGroups", testMaterialGroups},
	{"DeleteKeyUnlinks", testDeleteKeyUnlinks},
}

// link links replica to primary in region, in its own transaction.
func (e *env) link(replica, primary, region string) store.ReplicaLink {
	e.t.Helper()
	l := store.ReplicaLink{KeyID: replica, PrimaryID: primary, Region: region}
	e.do(func(tx store.Tx) error { return tx.PutReplicaLink(e.ctx, l) })
	return l
}

func (e *env) replicas(primary string) []store.ReplicaLink {
	e.t.Helper()
	got, err := e.s.ListReplicas(e.ctx, primary)
	noErr(e.t, err, "ListReplicas")
	return got
}

// testReplicaLinks: links read back, list by region, are replaced and
// removed, and need both keys.
func testReplicaLinks(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	p, r1, r2 := e.key(nil), e.key(nil), e.key(nil)
	l1 := e.link(r1.ID, p.ID, "local-3")
	l2 := e.link(r2.ID, p.ID, "local-2")
	got, err := s.GetReplicaLink(e.ctx, r1.ID)
	noErr(t, err, "GetReplicaLink")
	equal(t, got, l1, "GetReplicaLink")
	equal(t, e.replicas(p.ID), []store.ReplicaLink{l2, l1}, "ListReplicas ordered by region")
	_, err = s.GetReplicaLink(e.ctx, p.ID)
	isErr(t, err, store.ErrNotFound, "GetReplicaLink of a primary")
	equal(t, e.replicas(r1.ID), []store.ReplicaLink(nil), "ListReplicas of a key without replicas")

	isErr(t, e.txErr(func(tx store.Tx) error {
		return tx.PutReplicaLink(e.ctx, store.ReplicaLink{KeyID: newID(), PrimaryID: p.ID, Region: "local-4"})
	}), store.ErrNotFound, "PutReplicaLink of an unknown replica")
	isErr(t, e.txErr(func(tx store.Tx) error {
		return tx.PutReplicaLink(e.ctx, store.ReplicaLink{KeyID: r1.ID, PrimaryID: newID(), Region: "local-4"})
	}), store.ErrNotFound, "PutReplicaLink to an unknown primary")
	got, _ = s.GetReplicaLink(e.ctx, r1.ID)
	equal(t, got, l1, "GetReplicaLink after refused links")

	// update-primary-region: r2 becomes the primary of r1 and p.
	e.do(func(tx store.Tx) error {
		if err := tx.DeleteReplicaLink(e.ctx, r2.ID); err != nil {
			return err
		}
		for _, l := range []store.ReplicaLink{{KeyID: r1.ID, PrimaryID: r2.ID, Region: "local-3"}, {KeyID: p.ID, PrimaryID: r2.ID, Region: "local-1"}} {
			if err := tx.PutReplicaLink(e.ctx, l); err != nil {
				return err
			}
		}
		got, err := tx.ListReplicas(e.ctx, r2.ID)
		noErr(t, err, "tx.ListReplicas")
		if len(got) != 2 {
			t.Errorf("tx.ListReplicas sees %d links, want 2", len(got))
		}
		return nil
	})
	equal(t, e.replicas(p.ID), []store.ReplicaLink(nil), "ListReplicas of the old primary")
	equal(t, e.replicas(r2.ID), []store.ReplicaLink{{KeyID: p.ID, PrimaryID: r2.ID, Region: "local-1"}, {KeyID: r1.ID, PrimaryID: r2.ID, Region: "local-3"}},
		"ListReplicas of the new primary")
	_, err = s.GetReplicaLink(e.ctx, r2.ID)
	isErr(t, err, store.ErrNotFound, "GetReplicaLink after DeleteReplicaLink")
	e.do(func(tx store.Tx) error { return tx.DeleteReplicaLink(e.ctx, r2.ID) }) // absent: no error
	equal(t, len(e.replicas(r2.ID)), 2, "links after deleting an absent one")
}

// testMaterialGroups: a group is recorded once, for an existing key.
func testMaterialGroups(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	p, r := e.key(nil), e.key(nil)
	_, err := s.GetMaterialGroup(e.ctx, r.ID)
	isErr(t, err, store.ErrNotFound, "GetMaterialGroup before CreateMaterialGroup")
	e.do(func(tx store.Tx) error { return tx.CreateMaterialGroup(e.ctx, r.ID, p.ID) })
	got, err := s.GetMaterialGroup(e.ctx, r.ID)
	noErr(t, err, "GetMaterialGroup")
	equal(t, got, p.ID, "GetMaterialGroup")
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.CreateMaterialGroup(e.ctx, r.ID, r.ID) }),
		store.ErrExists, "CreateMaterialGroup twice")
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.CreateMaterialGroup(e.ctx, newID(), p.ID) }),
		store.ErrNotFound, "CreateMaterialGroup of an unknown key")
	got, _ = s.GetMaterialGroup(e.ctx, r.ID)
	equal(t, got, p.ID, "GetMaterialGroup after refused writes")
}

// testDeleteKeyUnlinks: deleting a replica removes its link; deleting a
// primary leaves its replicas standing alone; material groups stay.
func testDeleteKeyUnlinks(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	p, r1, r2 := e.key(nil), e.key(nil), e.key(nil)
	e.link(r1.ID, p.ID, "local-2")
	l2 := e.link(r2.ID, p.ID, "local-3")
	e.do(func(tx store.Tx) error {
		return errors.Join(tx.CreateMaterialGroup(e.ctx, r1.ID, p.ID), tx.CreateMaterialGroup(e.ctx, r2.ID, p.ID))
	})

	e.do(func(tx store.Tx) error { return tx.DeleteKey(e.ctx, r1.ID) })
	_, err := s.GetReplicaLink(e.ctx, r1.ID)
	isErr(t, err, store.ErrNotFound, "GetReplicaLink of a deleted replica")
	equal(t, e.replicas(p.ID), []store.ReplicaLink{l2}, "ListReplicas after deleting a replica")

	e.do(func(tx store.Tx) error { return tx.DeleteKey(e.ctx, p.ID) })
	_, err = s.GetReplicaLink(e.ctx, r2.ID)
	isErr(t, err, store.ErrNotFound, "GetReplicaLink after deleting the primary")
	equal(t, e.replicas(p.ID), []store.ReplicaLink(nil), "ListReplicas of a deleted primary")
	for _, id := range []string{r1.ID, r2.ID} {
		got, err := s.GetMaterialGroup(e.ctx, id)
		noErr(t, err, "GetMaterialGroup after DeleteKey")
		equal(t, got, p.ID, "material group after its keys were deleted")
	}
}
