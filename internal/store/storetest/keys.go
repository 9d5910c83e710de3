package storetest

import (
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
)

var keyTests = []subtest{
	{"KeyRoundTrip", testKeyRoundTrip},
	{"KeyErrors", testKeyErrors},
	{"UpdateKey", testUpdateKey},
	{"ListKeys", testListKeys},
	{"CountKeys", testCountKeys},
	{"KeysDue", testKeysDue},
}

func testKeyRoundTrip(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	full := e.key(func(k *domain.Key) {
		k.Description = "every field set ✓"
		k.Spec, k.Usage, k.Origin = domain.SpecRSA3072, domain.UsageSignVerify, domain.OriginExternal
		k.State, k.Default = domain.StatePendingDeletion, true
		k.CreatedAt = base.Add(-48 * time.Hour)
		k.DeletionDate = base.Add(7 * 24 * time.Hour)
		k.MaterialExpiry = base.Add(365 * 24 * time.Hour)
		k.RotationEnabled, k.RotationInterval = true, 90
		k.LastRotation, k.RotationCount, k.PrimaryVersion = base.Add(-time.Hour), 7, 8
		k.EnterpriseProjectID, k.KeystoreID = "0", "ks-1"
		k.Revision = 42 // ignored: CreateKey stores revision 1
	})
	zero := e.key(func(k *domain.Key) { k.CreatedAt = time.Time{}; k.RotationInterval = 0 })
	for _, want := range []domain.Key{full, zero} {
		got, err := s.GetKey(e.ctx, want.ID)
		noErr(t, err, "GetKey")
		equal(t, got, want, "GetKey")
		got, err = s.GetKeyByAlias(e.ctx, e.proj.ID, want.Alias)
		noErr(t, err, "GetKeyByAlias")
		equal(t, got, want, "GetKeyByAlias")
		e.do(func(tx store.Tx) error {
			got, err := tx.GetKeyForUpdate(e.ctx, want.ID)
			noErr(t, err, "GetKeyForUpdate")
			equal(t, got, want, "GetKeyForUpdate")
			got, err = tx.GetKey(e.ctx, want.ID)
			noErr(t, err, "tx.GetKey")
			equal(t, got, want, "tx.GetKey")
			return nil
		})
	}
	if full.CreatedAt.Nanosecond()%int(time.Millisecond) != 0 || full.CreatedAt.Location() != time.UTC {
		t.Errorf("times must come back in UTC at millisecond precision: %v", full.CreatedAt)
	}
}

func testKeyErrors(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	other := e.project(e.acct.ID, "other-"+newID())
	k := e.key(nil)
	isErr(t, e.txErr(func(tx store.Tx) error {
		d := newKey(e.proj)
		d.ID = k.ID
		return tx.CreateKey(e.ctx, d)
	}), store.ErrExists, "CreateKey same id")
	isErr(t, e.txErr(func(tx store.Tx) error {
		d := newKey(e.proj)
		d.Alias = k.Alias
		return tx.CreateKey(e.ctx, d)
	}), store.ErrExists, "CreateKey same alias in project")
	e.do(func(tx store.Tx) error { // the same alias in another project is fine
		d := newKey(other)
		d.Alias = k.Alias
		return tx.CreateKey(e.ctx, d)
	})
	isErr(t, e.txErr(func(tx store.Tx) error {
		return tx.CreateKey(e.ctx, newKey(domain.Project{ID: newID(), DomainID: e.acct.ID}))
	}),
		store.ErrNotFound, "CreateKey in unknown project")

	_, err := s.GetKey(e.ctx, newID())
	isErr(t, err, store.ErrNotFound, "GetKey unknown")
	_, err = s.GetKeyByAlias(e.ctx, e.proj.ID, "key-unknown")
	isErr(t, err, store.ErrNotFound, "GetKeyByAlias unknown alias")
	_, err = s.GetKeyByAlias(e.ctx, newID(), k.Alias)
	isErr(t, err, store.ErrNotFound, "GetKeyByAlias other project")
	e.do(func(tx store.Tx) error {
		_, err := tx.GetKeyForUpdate(e.ctx, newID())
		isErr(t, err, store.ErrNotFound, "GetKeyForUpdate unknown")
		noErr(t, tx.LockProject(e.ctx, e.proj.ID), "LockProject")
		isErr(t, tx.LockProject(e.ctx, newID()), store.ErrNotFound, "LockProject unknown")
		return nil
	})
}

func testUpdateKey(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	k := e.key(nil)
	taken := e.key(nil)

	upd := k
	upd.Alias, upd.Description, upd.State = "renamed-"+newID(), "new description", domain.StateDisabled
	upd.RotationEnabled, upd.LastRotation, upd.RotationCount, upd.PrimaryVersion = true, base.Add(time.Minute), 1, 2
	upd.DeletionDate = base.Add(time.Hour)
	e.do(func(tx store.Tx) error { return tx.UpdateKey(e.ctx, upd) })
	want := normKey(upd, 2)
	got, err := s.GetKey(e.ctx, k.ID)
	noErr(t, err, "GetKey after update")
	equal(t, got, want, "GetKey after UpdateKey")
	if _, err := s.GetKeyByAlias(e.ctx, e.proj.ID, k.Alias); err == nil {
		t.Errorf("old alias still resolves after rename")
	}

	// Stale revision, unknown key, taken alias: nothing changes.
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.UpdateKey(e.ctx, upd) }), store.ErrConflict, "UpdateKey stale revision")
	stale := got
	stale.Revision = 3
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.UpdateKey(e.ctx, stale) }), store.ErrConflict, "UpdateKey future revision")
	unknown := newKey(e.proj)
	unknown.Revision = 1
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.UpdateKey(e.ctx, unknown) }), store.ErrNotFound, "UpdateKey unknown")
	dup := got
	dup.Alias = taken.Alias
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.UpdateKey(e.ctx, dup) }), store.ErrExists, "UpdateKey to a taken alias")
	got, _ = s.GetKey(e.ctx, k.ID)
	equal(t, got, want, "GetKey after refused updates")

	// Two updates in one transaction.
	e.do(func(tx store.Tx) error {
		k, err := tx.GetKeyForUpdate(e.ctx, k.ID)
		if err != nil {
			return err
		}
		k.Description = "first"
		if err := tx.UpdateKey(e.ctx, k); err != nil {
			return err
		}
		k.Revision++
		k.Description = "second"
		return tx.UpdateKey(e.ctx, k)
	})
	got, _ = s.GetKey(e.ctx, k.ID)
	if got.Revision != 4 || got.Description != "second" {
		t.Errorf("after two updates: revision %d description %q, want 4 %q", got.Revision, got.Description, "second")
	}
}

func testListKeys(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	other := e.project(e.acct.ID, "other-"+newID())
	at := func(d time.Duration, st domain.KeyState, sp domain.KeySpec) func(*domain.Key) {
		return func(k *domain.Key) {
			k.CreatedAt, k.State, k.Spec = base.Add(d), st, sp
			if st == domain.StatePendingDeletion {
				k.DeletionDate = base.Add(d + time.Hour)
			}
		}
	}
	// Created out of order; k2a/k2b share a creation time (tie broken by id).
	k3 := e.key(at(3*time.Second, domain.StateEnabled, domain.SpecAES256))
	k1 := e.key(at(1*time.Second, domain.StateDisabled, domain.SpecSM4))
	k2a := e.key(at(2*time.Second, domain.StateEnabled, domain.SpecSM4))
	k2b := e.key(at(2*time.Second, domain.StatePendingDeletion, domain.SpecAES256))
	k0 := e.key(at(0, domain.StateEnabled, domain.SpecRSA2048))
	if k2b.ID < k2a.ID {
		k2a, k2b = k2b, k2a
	}
	e.do(func(tx store.Tx) error { return tx.CreateKey(e.ctx, newKey(other)) })
	all := []domain.Key{k0, k1, k2a, k2b, k3}

	list := func(f store.KeyFilter, want []domain.Key, wantTotal int, what string) {
		t.Helper()
		got, total, err := s.ListKeys(e.ctx, f)
		noErr(t, err, what)
		equal(t, keyIDs(got), keyIDs(want), what+" ids")
		if total != wantTotal {
			t.Errorf("%s: total %d, want %d", what, total, wantTotal)
		}
		if len(got) > 0 && len(want) > 0 {
			equal(t, got[0], want[0], what+" first key")
		}
	}
	p := e.proj.ID
	list(store.KeyFilter{ProjectID: p}, all, 5, "ListKeys all")
	list(store.KeyFilter{ProjectID: p, Limit: 2}, all[:2], 5, "ListKeys limit")
	list(store.KeyFilter{ProjectID: p, Offset: 2, Limit: 2}, all[2:4], 5, "ListKeys page 2")
	list(store.KeyFilter{ProjectID: p, Offset: 4, Limit: 2}, all[4:], 5, "ListKeys last page")
	list(store.KeyFilter{ProjectID: p, Offset: 3}, all[3:], 5, "ListKeys offset without limit")
	list(store.KeyFilter{ProjectID: p, Offset: 5, Limit: 2}, nil, 5, "ListKeys past the end")
	list(store.KeyFilter{ProjectID: p, State: domain.StateEnabled}, []domain.Key{k0, k2x(k2a, k2b, domain.StateEnabled), k3}, 3, "ListKeys state")
	list(store.KeyFilter{ProjectID: p, Spec: domain.SpecSM4}, []domain.Key{k1, k2x(k2a, k2b, domain.StateEnabled)}, 2, "ListKeys spec")
	list(store.KeyFilter{ProjectID: p, State: domain.StateEnabled, Spec: domain.SpecAES256, Limit: 1}, []domain.Key{k3}, 1, "ListKeys state+spec")
	list(store.KeyFilter{ProjectID: p, State: domain.StatePendingImport}, nil, 0, "ListKeys no match")
	list(store.KeyFilter{ProjectID: newID()}, nil, 0, "ListKeys unknown project")

	e.do(func(tx store.Tx) error {
		got, total, err := tx.ListKeys(e.ctx, store.KeyFilter{ProjectID: p, Limit: 1})
		noErr(t, err, "tx.ListKeys")
		if total != 5 || len(got) != 1 || got[0].ID != k0.ID {
			t.Errorf("tx.ListKeys = %v, %d", keyIDs(got), total)
		}
		return nil
	})
}

// k2x picks whichever of two keys has state st.
func k2x(a, b domain.Key, st domain.KeyState) domain.Key {
	if a.State == st {
		return a
	}
	return b
}

func testCountKeys(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	n, err := s.CountKeys(e.ctx, e.proj.ID)
	noErr(t, err, "CountKeys")
	if n != 0 {
		t.Errorf("CountKeys of an empty project = %d", n)
	}
	for _, st := range []domain.KeyState{domain.StateEnabled, domain.StateDisabled, domain.StatePendingDeletion, domain.StatePendingImport, domain.StatePendingActivation} {
		e.key(func(k *domain.Key) { k.State = st; k.DeletionDate = base })
	}
	e.key(func(k *domain.Key) { k.Default = true; k.Alias = "kms/default" })
	e.key(func(k *domain.Key) { k.Default = true; k.Alias = "obs/default" })
	other := e.project(e.acct.ID, "other-"+newID())
	e.do(func(tx store.Tx) error { return tx.CreateKey(e.ctx, newKey(other)) })
	n, err = s.CountKeys(e.ctx, e.proj.ID)
	noErr(t, err, "CountKeys")
	if n != 5 {
		t.Errorf("CountKeys = %d, want 5 (default keys and other projects excluded)", n)
	}
	e.do(func(tx store.Tx) error {
		n, err := tx.CountKeys(e.ctx, other.ID)
		noErr(t, err, "tx.CountKeys")
		if n != 1 {
			t.Errorf("tx.CountKeys(other) = %d, want 1", n)
		}
		return nil
	})
}
