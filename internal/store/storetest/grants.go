package storetest

import (
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
)

var grantTests = []subtest{
	{"Grants", testGrants},
	{"ListGrants", testListGrants},
	{"ListRetirableGrantsOfGrantees", testRetirableByGrantee},
}

func newGrant(e *env, keyID, grantee, retiring string, created time.Time) domain.Grant {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return domain.Grant{
		ID: hex.EncodeToString(b), KeyID: keyID, ProjectID: e.proj.ID, DomainID: e.acct.ID, Name: "g",
		GranteePrincipal: grantee, GranteeType: "user", RetiringPrincipal: retiring, IssuingPrincipal: "issuer",
		Operations: []string{"encrypt-datakey", "decrypt-datakey"}, CreatedAt: created,
	}
}

func normGrant(g domain.Grant) domain.Grant {
	g.CreatedAt = ms(g.CreatedAt)
	if len(g.Operations) == 0 {
		g.Operations = nil
	}
	return g
}

func grantIDs(gs []domain.Grant) []string {
	var ids []string
	for _, g := range gs {
		ids = append(ids, g.ID)
	}
	return ids
}

func testGrants(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	k := e.key(nil)
	g := newGrant(e, k.ID, "user-1", "retiree", base)
	g.Name, g.GranteeType, g.IssuingPrincipal = "grant name ✓", "domain", "issuer-2"
	noOps := newGrant(e, k.ID, "user-2", "", base)
	noOps.Operations = []string{}
	e.do(func(tx store.Tx) error {
		if err := tx.CreateGrant(e.ctx, g); err != nil {
			return err
		}
		if err := tx.CreateGrant(e.ctx, noOps); err != nil {
			return err
		}
		n, err := tx.CountGrants(e.ctx, k.ID)
		noErr(t, err, "CountGrants")
		if n != 2 {
			t.Errorf("CountGrants = %d, want 2", n)
		}
		return nil
	})
	got, err := s.GetGrant(e.ctx, g.ID)
	noErr(t, err, "GetGrant")
	equal(t, got, normGrant(g), "GetGrant")
	got, err = s.GetGrant(e.ctx, noOps.ID)
	noErr(t, err, "GetGrant without operations")
	equal(t, got, normGrant(noOps), "GetGrant without operations (empty reads back nil)")

	isErr(t, e.txErr(func(tx store.Tx) error { return tx.CreateGrant(e.ctx, g) }), store.ErrExists, "CreateGrant same id")
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.CreateGrant(e.ctx, newGrant(e, newID(), "u", "", base)) }),
		store.ErrNotFound, "CreateGrant on an unknown key")
	_, err = s.GetGrant(e.ctx, newID())
	isErr(t, err, store.ErrNotFound, "GetGrant unknown")

	e.do(func(tx store.Tx) error { return tx.DeleteGrant(e.ctx, g.ID) })
	_, err = s.GetGrant(e.ctx, g.ID)
	isErr(t, err, store.ErrNotFound, "GetGrant after DeleteGrant")
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.DeleteGrant(e.ctx, g.ID) }), store.ErrNotFound, "DeleteGrant twice")
	e.do(func(tx store.Tx) error {
		n, err := tx.CountGrants(e.ctx, k.ID)
		noErr(t, err, "CountGrants")
		if n != 1 {
			t.Errorf("CountGrants after delete = %d, want 1", n)
		}
		n, err = tx.CountGrants(e.ctx, newID())
		noErr(t, err, "CountGrants unknown key")
		if n != 0 {
			t.Errorf("CountGrants unknown key = %d", n)
		}
		return nil
	})
}

func testListGrants(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	other := e.project(e.acct.ID, "other-"+newID())
	k1, k2, k3 := e.key(nil), e.key(nil), e.key(nil)
	ko := e.keyIn(other)
	retiree := "retiree-" + newID()
	at := func(sec int) time.Time { return base.Add(time.Duration(sec) * time.Second) }
	// k1: four grants created out of order, two at the same instant.
	g3 := newGrant(e, k1.ID, "alice", retiree, at(3))
	g1 := newGrant(e, k1.ID, "bob", "", at(1))
	g2a := newGrant(e, k1.ID, "carol", retiree, at(2))
	g2b := newGrant(e, k1.ID, "alice", "", at(2))
	if g2b.ID < g2a.ID {
		g2a, g2b = g2b, g2a
	}
	g0 := newGrant(e, k2.ID, "alice", retiree, at(0)) // k2: one grant
	gk1 := k1.ID
	gko := []domain.Grant{newGrant(e, ko.ID, "alice", "", at(0))}
	for i := 0; i < 5; i++ { // the other project's key has the most grants
		gko = append(gko, newGrant(e, ko.ID, "x", "", at(i)))
	}
	e.do(func(tx store.Tx) error {
		for _, g := range append([]domain.Grant{g3, g1, g2a, g2b, g0}, gko...) {
			if err := tx.CreateGrant(e.ctx, g); err != nil {
				return err
			}
		}
		return nil
	})
	k1All := []domain.Grant{g1, g2a, g2b, g3}
	check := func(got []domain.Grant, total int, err error, want []domain.Grant, wantTotal int, what string) {
		t.Helper()
		noErr(t, err, what)
		equal(t, grantIDs(got), grantIDs(want), what+" ids")
		if total != wantTotal {
			t.Errorf("%s: total %d, want %d", what, total, wantTotal)
		}
		if len(got) > 0 && len(want) > 0 {
			equal(t, got[0], normGrant(want[0]), what+" first grant")
		}
	}
	list := func(p store.Page) ([]domain.Grant, int, error) { return s.ListGrants(e.ctx, gk1, p) }
	got, total, err := list(store.Page{})
	check(got, total, err, k1All, 4, "ListGrants")
	got, total, err = list(store.Page{Limit: 3})
	check(got, total, err, k1All[:3], 4, "ListGrants limit")
	got, total, err = list(store.Page{Offset: 1, Limit: 2})
	check(got, total, err, k1All[1:3], 4, "ListGrants page")
	got, total, err = list(store.Page{Offset: 3})
	check(got, total, err, k1All[3:], 4, "ListGrants offset")
	got, total, err = list(store.Page{Offset: 4, Limit: 10})
	check(got, total, err, nil, 4, "ListGrants past the end")
	got, total, err = s.ListGrants(e.ctx, k3.ID, store.Page{})
	check(got, total, err, nil, 0, "ListGrants without grants")

	ret := func(p store.Page) ([]domain.Grant, int, error) {
		return s.ListRetirableGrants(e.ctx, []string{retiree}, p)
	}
	retAll := []domain.Grant{g0}
	for _, g := range k1All {
		if g.RetiringPrincipal == retiree {
			retAll = append(retAll, g)
		}
	}
	got, total, err = ret(store.Page{})
	check(got, total, err, retAll, 3, "ListRetirableGrants")
	got, total, err = ret(store.Page{Offset: 1, Limit: 1})
	check(got, total, err, retAll[1:2], 3, "ListRetirableGrants page")
	got, total, err = ret(store.Page{Offset: 3, Limit: 1})
	check(got, total, err, nil, 3, "ListRetirableGrants past the end")
	got, total, err = s.ListRetirableGrants(e.ctx, []string{"nobody-" + newID()}, store.Page{})
	check(got, total, err, nil, 0, "ListRetirableGrants unknown principal")

	gg, err := s.ListGranteeGrants(e.ctx, gk1, []string{"alice", "carol", "nobody"})
	noErr(t, err, "ListGranteeGrants")
	var wantGG []string
	for _, g := range k1All {
		if g.GranteePrincipal != "bob" {
			wantGG = append(wantGG, g.ID)
		}
	}
	equal(t, grantIDs(gg), wantGG, "ListGranteeGrants")
	gg, err = s.ListGranteeGrants(e.ctx, gk1, []string{"bob"})
	noErr(t, err, "ListGranteeGrants bob")
	equal(t, gg, []domain.Grant{normGrant(g1)}, "ListGranteeGrants bob")
	gg, err = s.ListGranteeGrants(e.ctx, gk1, nil)
	noErr(t, err, "ListGranteeGrants no principals")
	if len(gg) != 0 {
		t.Errorf("ListGranteeGrants(no principals) = %v", grantIDs(gg))
	}

	n, err := s.MaxGrantsPerKey(e.ctx, e.proj.ID)
	noErr(t, err, "MaxGrantsPerKey")
	if n != 4 {
		t.Errorf("MaxGrantsPerKey = %d, want 4", n)
	}
	n, err = s.MaxGrantsPerKey(e.ctx, newID())
	noErr(t, err, "MaxGrantsPerKey unknown project")
	if n != 0 {
		t.Errorf("MaxGrantsPerKey(unknown project) = %d, want 0", n)
	}
}

// testRetirableByGrantee: a grantee may retire the grants that give it
// retire-grant, so they are listed for it; others are not.
func testRetirableByGrantee(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	k := e.key(nil)
	dave, acct := "dave-"+newID(), "acct-"+newID()
	withRetire := newGrant(e, k.ID, dave, "", base.Add(time.Second))
	withRetire.Operations = []string{"encrypt-data", "retire-grant"}
	without := newGrant(e, k.ID, dave, "", base.Add(2*time.Second))
	without.Operations = []string{"encrypt-data", "retire-grant-x"}
	byAccount := newGrant(e, k.ID, "erin", acct, base.Add(3*time.Second))
	other := newGrant(e, k.ID, "erin", "", base.Add(4*time.Second))
	other.Operations = []string{"retire-grant"}
	e.do(func(tx store.Tx) error {
		for _, g := range []domain.Grant{withRetire, without, byAccount, other} {
			if err := tx.CreateGrant(e.ctx, g); err != nil {
				return err
			}
		}
		return nil
	})
	got, total, err := s.ListRetirableGrants(e.ctx, []string{dave, acct}, store.Page{})
	noErr(t, err, "ListRetirableGrants of a grantee")
	equal(t, grantIDs(got), grantIDs([]domain.Grant{withRetire, byAccount}), "retirable grants of dave and his account")
	if total != 2 {
		t.Errorf("total %d, want 2", total)
	}
	got, _, err = s.ListRetirableGrants(e.ctx, nil, store.Page{})
	noErr(t, err, "ListRetirableGrants of nobody")
	if len(got) != 0 {
		t.Errorf("no principals listed %d grants", len(got))
	}
}
