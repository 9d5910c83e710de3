package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
)

var watchTests = []subtest{
	{"WatchCommitted", testWatchCommitted},
	{"WatchRolledBack", testWatchRolledBack},
	{"WatchCancel", testWatchCancel},
	{"WatchOverflow", testWatchOverflow},
	{"WatchRegionsAndKeystores", testWatchRegionsAndKeystores},
}

// watchWait bounds every wait for a change; it is a test timeout, not a
// performance requirement.
const watchWait = 5 * time.Second

// await reads ch until want (or a ChangeAll) arrives, calling seen for
// every change read.
func await(t *testing.T, ch <-chan store.Change, want store.Change, seen func(store.Change)) {
	t.Helper()
	timer := time.NewTimer(watchWait)
	defer timer.Stop()
	for {
		select {
		case c, ok := <-ch:
			if !ok {
				t.Fatalf("watch channel closed while waiting for %+v", want)
			}
			if seen != nil {
				seen(c)
			}
			// A ChangeAll covers every change before it (Watch's contract):
			// a watcher that overflowed, here with the notifications of
			// every other test sharing the database, gets one instead.
			if c == want || c.Kind == store.ChangeAll {
				return
			}
		case <-timer.C:
			t.Fatalf("no %+v within %v", want, watchWait)
		}
	}
}

func testWatchCommitted(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	ch := s.Watch(e.ctx)
	k := e.key(nil)
	await(t, ch, store.Change{Kind: store.ChangeKey, ID: k.ID}, nil)

	k.Description = "changed"
	e.do(func(tx store.Tx) error { return tx.UpdateKey(e.ctx, k) })
	await(t, ch, store.Change{Kind: store.ChangeKey, ID: k.ID}, nil)

	k2 := e.key(nil)
	await(t, ch, store.Change{Kind: store.ChangeKey, ID: k2.ID}, nil)
	alias := domain.Alias{ProjectID: e.proj.ID, DomainID: e.acct.ID, Name: "alias/w", KeyID: k.ID}
	e.do(func(tx store.Tx) error { return tx.CreateAlias(e.ctx, alias) })
	await(t, ch, store.Change{Kind: store.ChangeKey, ID: k.ID}, nil)
	alias.KeyID = k2.ID // moving an alias changes both keys
	e.do(func(tx store.Tx) error { return tx.UpdateAlias(e.ctx, alias) })
	got := map[store.Change]bool{}
	await(t, ch, store.Change{Kind: store.ChangeKey, ID: k2.ID}, func(c store.Change) { got[c] = true })
	if !got[store.Change{Kind: store.ChangeKey, ID: k.ID}] {
		await(t, ch, store.Change{Kind: store.ChangeKey, ID: k.ID}, nil)
	}
	e.do(func(tx store.Tx) error { return tx.ReplaceTags(e.ctx, k.ID, []domain.Tag{{Key: "a", Value: "b"}}) })
	await(t, ch, store.Change{Kind: store.ChangeKey, ID: k.ID}, nil)
	e.do(func(tx store.Tx) error {
		return tx.CreateVersion(e.ctx, domain.KeyVersion{KeyID: k.ID, Version: 1, Wrapped: []byte{1}, RootKeyID: "r"})
	})
	await(t, ch, store.Change{Kind: store.ChangeKey, ID: k.ID}, nil)

	g := newGrant(e, k.ID, "u", "", base)
	e.do(func(tx store.Tx) error { return tx.CreateGrant(e.ctx, g) })
	await(t, ch, store.Change{Kind: store.ChangeGrant, ID: k.ID}, nil)
	e.do(func(tx store.Tx) error { return tx.DeleteGrant(e.ctx, g.ID) })
	await(t, ch, store.Change{Kind: store.ChangeGrant, ID: k.ID}, nil)

	u := domain.User{ID: newID(), Name: "u", DomainID: e.acct.ID}
	c := domain.Credential{AccessKey: "AK" + newID(), UserID: u.ID, DomainID: e.acct.ID, WrappedSK: []byte{1}}
	e.do(func(tx store.Tx) error {
		if err := tx.CreateUser(e.ctx, u); err != nil {
			return err
		}
		return tx.CreateCredential(e.ctx, c)
	})
	await(t, ch, store.Change{Kind: store.ChangeCredential, ID: c.AccessKey}, nil)

	e.do(func(tx store.Tx) error { return tx.DeleteKey(e.ctx, k.ID) })
	await(t, ch, store.Change{Kind: store.ChangeKey, ID: k.ID}, nil)
}

// testWatchRolledBack: transactions that roll back (error or panic) publish
// nothing. Their rows are new, so no committed change (which a backend may
// deliver more than once) can carry the same Change.
func testWatchRolledBack(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	ch := s.Watch(e.ctx)
	k1, k2 := newKey(e.proj), newKey(e.proj)
	u := domain.User{ID: newID(), Name: "u", DomainID: e.acct.ID}
	c := domain.Credential{AccessKey: "AK" + newID(), UserID: u.ID, DomainID: e.acct.ID}
	errRollback := errors.New("rollback")
	err := s.Update(e.ctx, func(tx store.Tx) error {
		if err := errors.Join(tx.CreateKey(e.ctx, k1), tx.CreateUser(e.ctx, u), tx.CreateCredential(e.ctx, c)); err != nil {
			return err
		}
		return errRollback
	})
	isErr(t, err, errRollback, "Update")
	func() {
		defer func() { _ = recover() }()
		_ = s.Update(e.ctx, func(tx store.Tx) error {
			if err := tx.CreateKey(e.ctx, k2); err != nil {
				return err
			}
			panic("rollback")
		})
	}()
	// A later committed change arrives; no rolled-back one may precede it.
	marker := e.key(nil)
	rolledBack := map[store.Change]bool{
		{Kind: store.ChangeKey, ID: k1.ID}:              true,
		{Kind: store.ChangeKey, ID: k2.ID}:              true,
		{Kind: store.ChangeCredential, ID: c.AccessKey}: true,
	}
	await(t, ch, store.Change{Kind: store.ChangeKey, ID: marker.ID}, func(c store.Change) {
		if rolledBack[c] {
			t.Errorf("Watch delivered %+v from a rolled-back transaction", c)
		}
	})
}

func testWatchCancel(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	ctx1, cancel1 := context.WithCancel(e.ctx)
	ch1, ch2 := s.Watch(ctx1), s.Watch(e.ctx)
	k := e.key(nil)
	want := store.Change{Kind: store.ChangeKey, ID: k.ID}
	await(t, ch1, want, nil)
	await(t, ch2, want, nil)
	cancel1()
	timer := time.NewTimer(watchWait)
	defer timer.Stop()
	for open := true; open; {
		select {
		case _, open = <-ch1:
		case <-timer.C:
			t.Fatalf("watch channel not closed %v after its context ended", watchWait)
		}
	}
	k2 := e.key(nil)
	await(t, ch2, store.Change{Kind: store.ChangeKey, ID: k2.ID}, nil)
	done, cancel := context.WithCancel(e.ctx)
	cancel()
	select {
	case _, ok := <-s.Watch(done):
		if ok {
			t.Errorf("Watch with an ended context delivered a change")
		}
	case <-time.After(watchWait):
		t.Errorf("Watch with an ended context: channel not closed")
	}
}

// testWatchOverflow: a watcher that does not read while many changes are
// committed must be told to drop everything (ChangeAll) if any were lost.
func testWatchOverflow(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	ch := s.Watch(e.ctx)
	const n = 1000
	e.do(func(tx store.Tx) error {
		for range n {
			if err := tx.CreateKey(e.ctx, newKey(e.proj)); err != nil {
				return err
			}
		}
		return nil
	})
	seen := map[store.Change]bool{}
	all := false
	timer := time.NewTimer(watchWait)
	defer timer.Stop()
	for !all && len(seen) < n {
		select {
		case c := <-ch:
			if c.Kind == store.ChangeAll {
				all = true
			}
			seen[c] = true
		case <-timer.C:
			t.Fatalf("after %d changes: saw %d distinct changes and no ChangeAll", n, len(seen))
		}
	}
}

// testWatchRegionsAndKeystores: keystore writes are reported as keystore
// changes; replica links and material groups as changes of the keys at
// both ends, also when DeleteKey removes a link.
func testWatchRegionsAndKeystores(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	ch := s.Watch(e.ctx)
	ks := e.keystore(e.proj.ID, "ks-"+newID())
	want := store.Change{Kind: store.ChangeKeystore, ID: ks.ID}
	await(t, ch, want, nil)
	ks.State = "2"
	e.do(func(tx store.Tx) error { return tx.UpdateKeystore(e.ctx, ks) })
	await(t, ch, want, nil)
	e.do(func(tx store.Tx) error { return tx.DeleteKeystore(e.ctx, ks.ProjectID, ks.ID) })
	await(t, ch, want, nil)

	p, r := e.key(nil), e.key(nil)
	await(t, ch, store.Change{Kind: store.ChangeKey, ID: r.ID}, nil)
	for _, write := range []func(tx store.Tx) error{
		func(tx store.Tx) error { return tx.CreateMaterialGroup(e.ctx, r.ID, p.ID) },
		func(tx store.Tx) error {
			return tx.PutReplicaLink(e.ctx, store.ReplicaLink{KeyID: r.ID, PrimaryID: p.ID, Region: "local-2"})
		},
		func(tx store.Tx) error { return tx.DeleteReplicaLink(e.ctx, r.ID) },
	} {
		e.do(write)
		await(t, ch, store.Change{Kind: store.ChangeKey, ID: r.ID}, nil)
	}
	e.link(r.ID, p.ID, "local-2")
	await(t, ch, store.Change{Kind: store.ChangeKey, ID: p.ID}, nil)
	e.do(func(tx store.Tx) error { return tx.DeleteKey(e.ctx, p.ID) })
	got := map[store.Change]bool{}
	await(t, ch, store.Change{Kind: store.ChangeKey, ID: p.ID}, func(c store.Change) { got[c] = true })
	if !got[store.Change{Kind: store.ChangeKey, ID: r.ID}] {
		await(t, ch, store.Change{Kind: store.ChangeKey, ID: r.ID}, nil) // the replica lost its primary
	}
}
