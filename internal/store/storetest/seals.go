package storetest

import (
	"errors"
	"slices"
	"testing"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
)

var sealTests = []subtest{
	{"SealReservations", testSealReservations},
	{"SealReservationsOutliveKeys", testSealReservationsOutliveKeys},
	{"ConcurrentSealReservations", func(t *testing.T, s store.Store) { concurrentSeals(t, s, s) }},
}

// reserve reserves n seals for version v of counter in its own transaction.
func (e *env) reserve(counter string, v int, n int64) int64 {
	e.t.Helper()
	var total int64
	e.do(func(tx store.Tx) (err error) {
		total, err = tx.ReserveSeals(e.ctx, counter, v, n)
		return err
	})
	return total
}

// testSealReservations: totals add up per (counter, version), start at
// zero, hold values past 2^32, refuse n < 1 and roll back with their
// transaction.
func testSealReservations(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	a, b := newID(), newID()
	for _, step := range []struct {
		counter string
		version int
		n, want int64
	}{
		{a, 1, 5, 5}, {a, 1, 3, 8}, {a, 2, 1, 1}, {b, 1, 7, 7}, {a, 1, 1 << 33, 8 + 1<<33}, {a, 2, 1, 2},
	} {
		if got := e.reserve(step.counter, step.version, step.n); got != step.want {
			t.Errorf("ReserveSeals(%s…, %d, %d) = %d, want %d", step.counter[:6], step.version, step.n, got, step.want)
		}
	}
	for _, n := range []int64{0, -1} {
		if err := e.txErr(func(tx store.Tx) error { _, err := tx.ReserveSeals(e.ctx, a, 1, n); return err }); err == nil {
			t.Errorf("ReserveSeals with n = %d accepted", n)
		}
	}
	errRollback := errors.New("roll back")
	err := e.txErr(func(tx store.Tx) error {
		if _, err := tx.ReserveSeals(e.ctx, b, 1, 100); err != nil {
			return err
		}
		return errRollback
	})
	isErr(t, err, errRollback, "Update")
	if got := e.reserve(b, 1, 1); got != 8 {
		t.Errorf("after a rolled back reservation of 100 the total is %d, want 8", got-1)
	}
}

// testSealReservationsOutliveKeys: deleting the key, or its versions,
// keeps the count of its material (replicas and re-imports reuse it).
func testSealReservationsOutliveKeys(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	k := e.key(nil)
	e.do(func(tx store.Tx) error {
		return tx.CreateVersion(e.ctx, domain.KeyVersion{KeyID: k.ID, Version: 1, Wrapped: []byte{1}, RootKeyID: "r", CreatedAt: base})
	})
	e.reserve(k.ID, 1, 10)
	e.do(func(tx store.Tx) error { return tx.DeleteVersions(e.ctx, k.ID) })
	if got := e.reserve(k.ID, 1, 1); got != 11 {
		t.Errorf("after DeleteVersions: total %d, want 11", got)
	}
	e.do(func(tx store.Tx) error { return tx.DeleteKey(e.ctx, k.ID) })
	if got := e.reserve(k.ID, 1, 1); got != 12 {
		t.Errorf("after DeleteKey: total %d, want 12", got)
	}
}

// concurrentSeals: 20 racing transactions (alternating between stores a
// and b) reserve 7 seals each of one version; the ranges they get are
// disjoint and together exactly [0, 140).
func concurrentSeals(t *testing.T, a, b store.Store) {
	e := newEnv(t, a)
	counter := newID()
	const workers, n = 20, 7
	totals := make(chan int64, workers)
	errs := race(e.ctx, a, b, workers, func(tx store.Tx) error {
		total, err := tx.ReserveSeals(e.ctx, counter, 1, n)
		if err == nil {
			totals <- total
		}
		return err
	})
	for _, err := range errs {
		noErr(t, err, "racing ReserveSeals")
	}
	close(totals)
	var got []int64
	for total := range totals {
		got = append(got, total)
	}
	slices.Sort(got)
	for i, total := range got {
		if total != int64(i+1)*n {
			t.Fatalf("racing reservations ended at %v, want 7, 14, …, 140: two got overlapping ranges", got)
		}
	}
}
