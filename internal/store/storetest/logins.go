package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
)

func testLoginFailures(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	login := e.acct.ID + "/user-" + newID()
	_, err := s.GetLoginFailures(e.ctx, login)
	isErr(t, err, store.ErrNotFound, "GetLoginFailures before any failure")

	want := domain.LoginFailures{Login: login, Failures: 1, WindowStart: ms(base), ExpiresAt: ms(base.Add(time.Hour))}
	e.do(func(tx store.Tx) error {
		f, err := tx.LockLoginFailures(e.ctx, login)
		noErr(t, err, "LockLoginFailures of a new login")
		equal(t, f, domain.LoginFailures{Login: login}, "LockLoginFailures creates an empty record")
		f.Failures, f.WindowStart, f.ExpiresAt = 1, base, base.Add(time.Hour)
		return tx.PutLoginFailures(e.ctx, f)
	})
	got, err := s.GetLoginFailures(e.ctx, login)
	noErr(t, err, "GetLoginFailures")
	equal(t, got, want, "GetLoginFailures after put")

	locked := domain.LoginFailures{Login: login, LockedUntil: ms(base.Add(15 * time.Minute)), ExpiresAt: want.ExpiresAt}
	e.do(func(tx store.Tx) error {
		f, err := tx.LockLoginFailures(e.ctx, login)
		noErr(t, err, "LockLoginFailures of an existing login")
		equal(t, f, want, "LockLoginFailures reads the stored record")
		return tx.PutLoginFailures(e.ctx, locked)
	})
	got, _ = s.GetLoginFailures(e.ctx, login)
	equal(t, got, locked, "PutLoginFailures replaces the record")

	rolledBack := "rolled-back-" + newID()
	e.txErr(func(tx store.Tx) error {
		tx.LockLoginFailures(e.ctx, rolledBack)
		return errors.New("roll back")
	})
	_, err = s.GetLoginFailures(e.ctx, rolledBack)
	isErr(t, err, store.ErrNotFound, "GetLoginFailures after a rolled-back lock")

	expired := domain.LoginFailures{Login: "expired-" + newID(), Failures: 2, WindowStart: ms(base.Add(-2 * time.Hour)),
		ExpiresAt: ms(base.Add(-time.Hour))}
	e.do(func(tx store.Tx) error { return tx.PutLoginFailures(e.ctx, expired) })
	e.do(func(tx store.Tx) error {
		n, err := tx.DeleteExpiredLoginFailures(e.ctx, base)
		if err == nil && n < 1 {
			t.Errorf("DeleteExpiredLoginFailures removed %d records, want at least the expired one", n)
		}
		return err
	})
	_, err = s.GetLoginFailures(e.ctx, expired.Login)
	isErr(t, err, store.ErrNotFound, "GetLoginFailures of an expired record after DeleteExpiredLoginFailures")
	got, err = s.GetLoginFailures(e.ctx, login)
	noErr(t, err, "GetLoginFailures of an unexpired record after DeleteExpiredLoginFailures")
	equal(t, got, locked, "unexpired record")

	e.do(func(tx store.Tx) error { return tx.DeleteLoginFailures(e.ctx, login) })
	_, err = s.GetLoginFailures(e.ctx, login)
	isErr(t, err, store.ErrNotFound, "GetLoginFailures after DeleteLoginFailures")
	e.do(func(tx store.Tx) error { return tx.DeleteLoginFailures(e.ctx, login) })
}

// concurrentLoginFailures: 20 transactions (alternating between two stores)
// each count one failure of the same new login; all 20 must be counted.
func concurrentLoginFailures(t *testing.T, a, b store.Store) {
	e := newEnv(t, a)
	login := "race-" + newID()
	const workers = 20
	errs := race(e.ctx, a, b, workers, func(tx store.Tx) error {
		f, err := tx.LockLoginFailures(e.ctx, login)
		if err != nil {
			return err
		}
		f.Failures++
		f.ExpiresAt = base.AddDate(100, 0, 0)
		return tx.PutLoginFailures(e.ctx, f)
	})
	for _, err := range errs {
		if err != nil {
			t.Errorf("Update: %v", err)
		}
	}
	for _, s := range []store.Store{a, b} {
		f, err := s.GetLoginFailures(e.ctx, login)
		noErr(t, err, "GetLoginFailures")
		if f.Failures != workers {
			t.Errorf("%d failures counted by %d racing transactions", f.Failures, workers)
		}
	}
}
