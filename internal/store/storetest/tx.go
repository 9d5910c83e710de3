package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
)

var txTests = []subtest{
	{"UpdateRollbackOnError", testRollbackOnError},
	{"UpdateRollbackOnPanic", testRollbackOnPanic},
	{"UpdateIsolation", testIsolation},
	{"SentinelKeepsTxUsable", testSentinelKeepsTxUsable},
	{"ConcurrentQuota", func(t *testing.T, s store.Store) { concurrentQuota(t, s, s) }},
	{"ConcurrentAlias", func(t *testing.T, s store.Store) { concurrentAlias(t, s, s) }},
	{"ConcurrentMixedOutcomes", testConcurrentMixedOutcomes},
	{"ConcurrentLoserSeesWinner", testConcurrentLoserSeesWinner},
}

func testRollbackOnError(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	k := newKey(e.proj)
	myErr := errors.New("my error")
	err := s.Update(e.ctx, func(tx store.Tx) error {
		if err := tx.CreateKey(e.ctx, k); err != nil {
			return err
		}
		if err := tx.PutSetting(e.ctx, "s-"+k.ID, []byte("v"), false); err != nil {
			return err
		}
		return fmt.Errorf("wrapped: %w", myErr)
	})
	if !errors.Is(err, myErr) || err.Error() != "wrapped: my error" {
		t.Errorf("Update returned %v, want fn's error unchanged", err)
	}
	err = s.Update(e.ctx, func(tx store.Tx) error { return myErr })
	if err != myErr {
		t.Errorf("Update returned %#v, want exactly fn's error", err)
	}
	_, err = s.GetKey(e.ctx, k.ID)
	isErr(t, err, store.ErrNotFound, "GetKey after rollback")
	_, err = s.GetSetting(e.ctx, "s-"+k.ID)
	isErr(t, err, store.ErrNotFound, "GetSetting after rollback")
	e.key(nil) // the store still works
}

func testRollbackOnPanic(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	k := newKey(e.proj)
	type boom struct{ v int }
	func() {
		defer func() {
			if p := recover(); p != (boom{42}) {
				t.Errorf("recovered %v, want the panic value of fn", p)
			}
		}()
		_ = s.Update(e.ctx, func(tx store.Tx) error {
			if err := tx.CreateKey(e.ctx, k); err != nil {
				return err
			}
			panic(boom{42})
		})
		t.Error("Update returned after fn panicked")
	}()
	_, err := s.GetKey(e.ctx, k.ID)
	isErr(t, err, store.ErrNotFound, "GetKey after panic")
	e.key(func(x *domain.Key) { x.ID, x.Alias = k.ID, k.Alias }) // same key commits now: nothing was left locked or written
}

func testIsolation(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	k := newKey(e.proj)
	e.do(func(tx store.Tx) error {
		if err := tx.CreateKey(e.ctx, k); err != nil {
			return err
		}
		if _, err := tx.GetKey(e.ctx, k.ID); err != nil {
			t.Errorf("a transaction does not see its own write: %v", err)
		}
		if _, err := s.GetKey(e.ctx, k.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("an uncommitted write is visible outside its transaction: %v", err)
		}
		return nil
	})
	if _, err := s.GetKey(e.ctx, k.ID); err != nil {
		t.Errorf("committed key not visible: %v", err)
	}
}

// testSentinelKeepsTxUsable: a method failing with a sentinel error has no
// effect and the transaction goes on (PostgreSQL would otherwise abort it).
func testSentinelKeepsTxUsable(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	k := e.key(nil)
	alias := domain.Alias{ProjectID: e.proj.ID, DomainID: e.acct.ID, Name: "alias/x", KeyID: k.ID}
	e.do(func(tx store.Tx) error { return tx.CreateAlias(e.ctx, alias) })
	fresh := newKey(e.proj)
	e.do(func(tx store.Tx) error {
		dup := newKey(e.proj)
		dup.ID = k.ID
		isErr(t, tx.CreateKey(e.ctx, dup), store.ErrExists, "CreateKey duplicate")
		isErr(t, tx.CreateAlias(e.ctx, alias), store.ErrExists, "CreateAlias duplicate")
		stale := k
		stale.Revision = 7
		isErr(t, tx.UpdateKey(e.ctx, stale), store.ErrConflict, "UpdateKey stale")
		isErr(t, tx.CreateVersion(e.ctx, domain.KeyVersion{KeyID: newID(), Version: 1, Wrapped: []byte{1}}), store.ErrNotFound, "CreateVersion unknown key")
		isErr(t, tx.PutSetting(e.ctx, "never-"+k.ID, nil, false), nil, "PutSetting")
		isErr(t, tx.PutSetting(e.ctx, "never-"+k.ID, nil, true), store.ErrExists, "PutSetting onlyIfAbsent")
		isErr(t, tx.DeleteGrant(e.ctx, newID()), store.ErrNotFound, "DeleteGrant unknown")
		if _, err := tx.GetKey(e.ctx, newID()); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("GetKey unknown: %v", err)
		}
		return tx.CreateKey(e.ctx, fresh)
	})
	if _, err := s.GetKey(e.ctx, fresh.ID); err != nil {
		t.Errorf("write after sentinel errors not committed: %v", err)
	}
	got, _ := s.GetKey(e.ctx, k.ID)
	equal(t, got, k, "key after failed duplicate create and stale update")
}

// race runs workers transactions at once, alternating between stores a and
// b, and returns their results.
func race(ctx context.Context, a, b store.Store, workers int, fn func(tx store.Tx) error) []error {
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for i := range workers {
		s := a
		if i%2 == 1 {
			s = b
		}
		wg.Go(func() { errs[i] = s.Update(ctx, fn) })
	}
	wg.Wait()
	return errs
}

// concurrentQuota: 20 transactions (alternating between two stores) each
// create a key if the project has fewer than 10; exactly 10 must exist.
func concurrentQuota(t *testing.T, a, b store.Store) {
	e := newEnv(t, a)
	const workers, quota = 20, 10
	errs := race(e.ctx, a, b, workers, func(tx store.Tx) error {
		if err := tx.LockProject(e.ctx, e.proj.ID); err != nil {
			return err
		}
		n, err := tx.CountKeys(e.ctx, e.proj.ID)
		if err != nil || n >= quota {
			return err
		}
		return tx.CreateKey(e.ctx, newKey(e.proj))
	})
	for _, err := range errs {
		if err != nil {
			t.Errorf("Update: %v", err)
		}
	}
	for _, s := range []store.Store{a, b} {
		n, err := s.CountKeys(e.ctx, e.proj.ID)
		noErr(t, err, "CountKeys")
		if n != quota {
			t.Errorf("CountKeys = %d after %d racing quota-checked creations, want %d", n, workers, quota)
		}
	}
}

// concurrentAlias: 20 transactions create the same alias; one wins.
func concurrentAlias(t *testing.T, a, b store.Store) {
	e := newEnv(t, a)
	k := e.key(nil)
	errs := race(e.ctx, a, b, 20, func(tx store.Tx) error {
		return tx.CreateAlias(e.ctx, domain.Alias{ProjectID: e.proj.ID, DomainID: e.acct.ID, Name: "alias/race", KeyID: k.ID})
	})
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, store.ErrExists):
			t.Errorf("racing CreateAlias: %v, want nil or ErrExists", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d racing CreateAlias succeeded, want exactly 1", ok)
	}
	if n, _ := b.CountAliases(e.ctx, k.ID); n != 1 {
		t.Errorf("CountAliases = %d, want 1", n)
	}
}

// testConcurrentMixedOutcomes: of many concurrent transactions (which a
// backend may run in one shared commit), those that return nil are
// committed, and those whose fn fails or panics leave nothing, whatever
// their neighbours do.
func testConcurrentMixedOutcomes(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	const workers = 48
	errFailed := errors.New("fn failed")
	keys := make([]domain.Key, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for i := range workers {
		keys[i] = newKey(e.proj)
		wg.Go(func() {
			defer func() {
				if p := recover(); p != nil {
					errs[i] = fmt.Errorf("panicked: %v", p)
				}
			}()
			errs[i] = s.Update(e.ctx, func(tx store.Tx) error {
				if err := tx.LockProject(e.ctx, e.proj.ID); err != nil {
					return err
				}
				if err := tx.CreateKey(e.ctx, keys[i]); err != nil {
					return err
				}
				switch i % 3 {
				case 1:
					return errFailed
				case 2:
					panic("boom")
				}
				return nil
			})
		})
	}
	wg.Wait()
	committed := 0
	for i, err := range errs {
		_, gerr := s.GetKey(e.ctx, keys[i].ID)
		switch {
		case i%3 == 0 && err != nil:
			t.Errorf("worker %d: Update = %v, want nil", i, err)
		case i%3 == 0:
			committed++
			noErr(t, gerr, "GetKey of a committed key")
		case i%3 == 1 && !errors.Is(err, errFailed):
			t.Errorf("worker %d: Update = %v, want fn's error", i, err)
		case i%3 == 2 && (err == nil || err.Error() != "panicked: boom"):
			t.Errorf("worker %d: Update = %v, want the panic to go on", i, err)
		}
		if i%3 != 0 {
			isErr(t, gerr, store.ErrNotFound, "GetKey of a key whose transaction failed")
		}
	}
	n, err := s.CountKeys(e.ctx, e.proj.ID)
	noErr(t, err, "CountKeys")
	if n != committed {
		t.Errorf("CountKeys = %d, want %d", n, committed)
	}
}

// testConcurrentLoserSeesWinner: of transactions racing to create one key,
// those that fail with ErrExists find the winner's key committed as soon as
// Update returns (nodes starting at once rely on it to adopt the winner's
// rows).
func testConcurrentLoserSeesWinner(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	for round := range 5 {
		k := newKey(e.proj)
		seen := make([]error, 8) // GetKey right after a lost race
		var wg sync.WaitGroup
		for i := range seen {
			wg.Go(func() {
				err := s.Update(e.ctx, func(tx store.Tx) error {
					err := tx.CreateKey(e.ctx, k)
					time.Sleep(2 * time.Millisecond) // widens the window in which the others queue up
					return err
				})
				if err != nil {
					isErr(t, err, store.ErrExists, "losing CreateKey")
					_, seen[i] = s.GetKey(e.ctx, k.ID)
				}
			})
		}
		wg.Wait()
		for i, err := range seen {
			if err != nil {
				t.Fatalf("round %d, worker %d: lost the race, then GetKey: %v", round, i, err)
			}
		}
	}
}
