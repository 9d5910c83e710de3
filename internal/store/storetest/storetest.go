// Package storetest is the conformance suite every [store.Store] backend must
// pass. Backends call [Run] from their tests, and [RunShared] when several
// stores (nodes) can share one database.
//
// Besides the store contract, the suite pins down what package sqlstore
// documents where the contract is silent, so that every backend behaves the
// same: writes referencing a missing key or project fail with ErrNotFound,
// empty slices read back as nil, times come back in UTC at millisecond
// precision, text orders byte-wise.
//
// Every subtest is parallel and uses fresh random identifiers, so the stores
// handed to the suite may all share one database; timestamps far from the
// present keep KeysDue's view of that database predictable.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
)

type subtest struct {
	name string
	fn   func(t *testing.T, s store.Store)
}

// Run runs the conformance suite against stores returned by open, one per
// parallel subtest; the suite closes each store when its subtest ends (Close
// may be called again by the opener's own cleanup). The stores may share one
// database.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	var all []subtest
	all = append(all, identityTests...)
	all = append(all, keyTests...)
	all = append(all, countTests...)
	all = append(all, childTests...)
	all = append(all, grantTests...)
	all = append(all, txTests...)
	all = append(all, watchTests...)
	all = append(all, sealTests...)
	all = append(all, regionTests...)
	all = append(all, keystoreTests...)
	all = append(all, rewrapTests...)
	for _, st := range all {
		t.Run(st.name, func(t *testing.T) {
			t.Parallel()
			st.fn(t, openClosed(t, open))
		})
	}
}

func openClosed(t *testing.T, open func(t *testing.T) store.Store) store.Store {
	t.Helper()
	s := open(t)
	if s == nil {
		t.Fatal("open returned a nil store")
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// base is the suite's reference time: nanoseconds exercise millisecond
// truncation, and it is far from the KeysDue test's epoch.
var base = time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.FixedZone("X", 3600))

// ms is t as a store returns it: UTC, truncated to the millisecond, the
// zero time unchanged.
func ms(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return time.UnixMilli(t.UnixMilli()).UTC()
}

func newID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// env is one subtest's store with a fresh account and project.
type env struct {
	t    *testing.T
	s    store.Store
	ctx  context.Context
	acct domain.Account
	proj domain.Project
}

func newEnv(t *testing.T, s store.Store) *env {
	t.Helper()
	e := &env{t: t, s: s, ctx: t.Context()}
	e.acct = domain.Account{ID: newID(), Name: "acct-" + newID(), CreatedAt: ms(base)}
	e.proj = domain.Project{ID: newID(), Name: "local-1", DomainID: e.acct.ID, CreatedAt: ms(base)}
	e.do(func(tx store.Tx) error {
		if err := tx.CreateAccount(e.ctx, e.acct); err != nil {
			return err
		}
		return tx.CreateProject(e.ctx, e.proj)
	})
	return e
}

// project creates another project in a domain.
func (e *env) project(domainID, name string) domain.Project {
	e.t.Helper()
	p := domain.Project{ID: newID(), Name: name, DomainID: domainID, CreatedAt: ms(base)}
	e.do(func(tx store.Tx) error { return tx.CreateProject(e.ctx, p) })
	return p
}

// do runs fn in a transaction that must commit.
func (e *env) do(fn func(tx store.Tx) error) {
	e.t.Helper()
	if err := e.s.Update(e.ctx, fn); err != nil {
		e.t.Fatalf("Update: %v", err)
	}
}

// key creates a key of e's project, modified by mod, and returns it as the
// store returns it (Revision 1, millisecond UTC times).
func (e *env) key(mod func(k *domain.Key)) domain.Key {
	e.t.Helper()
	k := newKey(e.proj)
	if mod != nil {
		mod(&k)
	}
	e.do(func(tx store.Tx) error { return tx.CreateKey(e.ctx, k) })
	return normKey(k, 1)
}

func newKey(p domain.Project) domain.Key {
	id := newID()
	return domain.Key{
		ID: id, DomainID: p.DomainID, ProjectID: p.ID, Alias: "key-" + id[:12],
		Spec: domain.SpecAES256, Usage: domain.UsageEncryptDecrypt, Origin: domain.OriginKMS,
		State: domain.StateEnabled, CreatedAt: base, RotationInterval: 365,
	}
}

func normKey(k domain.Key, rev int64) domain.Key {
	k.CreatedAt, k.DeletionDate, k.MaterialExpiry, k.LastRotation = ms(k.CreatedAt), ms(k.DeletionDate), ms(k.MaterialExpiry), ms(k.LastRotation)
	k.Revision = rev
	return k
}

func keyIDs(ks []domain.Key) []string {
	var ids []string
	for _, k := range ks {
		ids = append(ids, k.ID)
	}
	return ids
}

// isErr reports a failure unless errors.Is(err, target).
func isErr(t *testing.T, err, target error, what string) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: got error %v, want %v", what, err, target)
	}
}

func noErr(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func equal[T any](t *testing.T, got, want T, what string) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got  %+v\n want %+v", what, got, want)
	}
}

// txErr runs fn in a transaction and returns Update's error.
func (e *env) txErr(fn func(tx store.Tx) error) error {
	return e.s.Update(e.ctx, fn)
}
