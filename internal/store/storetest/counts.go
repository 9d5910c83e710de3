package storetest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
)

var countTests = []subtest{
	{"KeyCountsFollowWrites", testKeyCountsFollowWrites},
	{"TagCountsFollowWrites", testTagCountsFollowWrites},
	{"ListKeysAfterCursor", testListKeysAfterCursor},
	{"ListKeysByTags", testListKeysByTags},
}

// keyTotals checks CountKeys and the totals of ListKeys with every filter
// the API uses against what the keys of the project are.
func keyTotals(t *testing.T, e *env, what string) {
	t.Helper()
	all, _, err := e.s.ListKeys(e.ctx, store.KeyFilter{ProjectID: e.proj.ID})
	noErr(t, err, what+": ListKeys")
	type class struct {
		spec  domain.KeySpec
		state domain.KeyState
	}
	want := map[class]int{}
	customer := 0
	for _, k := range all {
		for _, c := range []class{{}, {k.Spec, ""}, {"", k.State}, {k.Spec, k.State}} {
			want[c]++
		}
		if !k.Default {
			customer++
		}
	}
	n, err := e.s.CountKeys(e.ctx, e.proj.ID)
	noErr(t, err, what+": CountKeys")
	if n != customer {
		t.Errorf("%s: CountKeys = %d, want %d", what, n, customer)
	}
	for _, spec := range []domain.KeySpec{"", domain.SpecAES256, domain.SpecSM4, domain.SpecRSA2048} {
		for _, st := range []domain.KeyState{"", domain.StateEnabled, domain.StateDisabled, domain.StatePendingDeletion} {
			_, total, err := e.s.ListKeys(e.ctx, store.KeyFilter{ProjectID: e.proj.ID, Spec: spec, State: st, Limit: 1})
			noErr(t, err, what+": ListKeys")
			if w := want[class{spec, st}]; total != w {
				t.Errorf("%s: ListKeys spec %q state %q: total %d, want %d", what, spec, st, total, w)
			}
		}
	}
}

func testKeyCountsFollowWrites(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	keyTotals(t, e, "empty project")
	a := e.key(nil)
	b := e.key(func(k *domain.Key) { k.Spec = domain.SpecSM4 })
	e.key(func(k *domain.Key) { k.Default = true; k.Alias = "kms/default" })
	c := e.key(func(k *domain.Key) { k.Spec = domain.SpecRSA2048; k.State = domain.StateDisabled })
	keyTotals(t, e, "after CreateKey")

	// A failed creation (alias taken) counts nothing.
	isErr(t, e.txErr(func(tx store.Tx) error {
		d := newKey(e.proj)
		d.Alias = a.Alias
		return tx.CreateKey(e.ctx, d)
	}), store.ErrExists, "CreateKey same alias")
	// Neither does a rolled-back one.
	_ = e.txErr(func(tx store.Tx) error {
		noErr(t, tx.CreateKey(e.ctx, newKey(e.proj)), "CreateKey")
		return store.ErrConflict
	})
	keyTotals(t, e, "after failed creations")

	a.State, a.DeletionDate = domain.StatePendingDeletion, base
	e.do(func(tx store.Tx) error { return tx.UpdateKey(e.ctx, a) })
	b.Spec = domain.SpecAES256 // not an API write, but the counts follow every field
	e.do(func(tx store.Tx) error { return tx.UpdateKey(e.ctx, b) })
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.UpdateKey(e.ctx, b) }), store.ErrConflict, "UpdateKey stale")
	keyTotals(t, e, "after UpdateKey")

	e.do(func(tx store.Tx) error { return tx.DeleteKey(e.ctx, c.ID) })
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.DeleteKey(e.ctx, c.ID) }), store.ErrNotFound, "DeleteKey twice")
	keyTotals(t, e, "after DeleteKey")
	n, err := s.CountKeys(e.ctx, e.proj.ID)
	noErr(t, err, "CountKeys")
	if n != 2 {
		t.Errorf("CountKeys = %d, want 2", n)
	}
}

func testTagCountsFollowWrites(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	values := func(want []domain.Tag, what string) {
		t.Helper()
		got, err := s.ListProjectTagValues(e.ctx, e.proj.ID)
		noErr(t, err, what)
		equal(t, got, want, what)
	}
	values(nil, "ListProjectTagValues of an empty project")
	a, b := e.key(nil), e.key(nil)
	e.do(func(tx store.Tx) error {
		if err := tx.ReplaceTags(e.ctx, a.ID, []domain.Tag{{Key: "env", Value: "prod"}, {Key: "team", Value: "x"}}); err != nil {
			return err
		}
		return tx.ReplaceTags(e.ctx, b.ID, []domain.Tag{{Key: "env", Value: "prod"}, {Key: "env2", Value: ""}})
	})
	values([]domain.Tag{{Key: "env", Value: "prod"}, {Key: "env2", Value: ""}, {Key: "team", Value: "x"}}, "after ReplaceTags")
	isErr(t, e.txErr(func(tx store.Tx) error {
		return tx.ReplaceTags(e.ctx, a.ID, []domain.Tag{{Key: "k", Value: "1"}, {Key: "k", Value: "2"}})
	}), store.ErrExists, "ReplaceTags duplicate")
	e.do(func(tx store.Tx) error {
		return tx.ReplaceTags(e.ctx, a.ID, []domain.Tag{{Key: "env", Value: "dev"}})
	})
	values([]domain.Tag{{Key: "env", Value: "dev"}, {Key: "env", Value: "prod"}, {Key: "env2", Value: ""}}, "after replacing a's tags")
	e.do(func(tx store.Tx) error { return tx.DeleteKey(e.ctx, b.ID) })
	values([]domain.Tag{{Key: "env", Value: "dev"}}, "after DeleteKey")
	e.do(func(tx store.Tx) error { return tx.ReplaceTags(e.ctx, a.ID, nil) })
	values(nil, "after removing every tag")
}

// testListKeysAfterCursor pages with keyset cursors through keys that share
// creation times, with and without filters.
func testListKeysAfterCursor(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	var all []domain.Key
	for i := range 7 {
		all = append(all, e.key(func(k *domain.Key) {
			k.CreatedAt = base.Add(time.Duration(i/3) * time.Second) // three keys per instant
			if i%2 == 1 {
				k.Spec = domain.SpecSM4
			}
		}))
	}
	slices.SortFunc(all, func(a, b domain.Key) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	walk := func(f store.KeyFilter, want []domain.Key, what string) {
		t.Helper()
		var got []domain.Key
		for range 10 {
			f.Limit = 2
			page, total, err := s.ListKeys(e.ctx, f)
			noErr(t, err, what)
			if total != len(want) {
				t.Errorf("%s: total %d, want %d", what, total, len(want))
			}
			got = append(got, page...)
			if len(page) < 2 {
				break
			}
			last := page[len(page)-1]
			f.After = store.KeyCursor{CreatedAt: last.CreatedAt, ID: last.ID}
		}
		equal(t, keyIDs(got), keyIDs(want), what)
	}
	walk(store.KeyFilter{ProjectID: e.proj.ID}, all, "every key")
	var sm4 []domain.Key
	for _, k := range all {
		if k.Spec == domain.SpecSM4 {
			sm4 = append(sm4, k)
		}
	}
	walk(store.KeyFilter{ProjectID: e.proj.ID, Spec: domain.SpecSM4}, sm4, "SM4 keys")
	walk(store.KeyFilter{ProjectID: e.proj.ID, Spec: domain.SpecSM4, State: domain.StateEnabled}, sm4, "enabled SM4 keys")
	// A cursor naming a deleted key still places the page.
	e.do(func(tx store.Tx) error { return tx.DeleteKey(e.ctx, all[2].ID) })
	got, _, err := s.ListKeys(e.ctx, store.KeyFilter{ProjectID: e.proj.ID, Limit: 1,
		After: store.KeyCursor{CreatedAt: all[2].CreatedAt, ID: all[2].ID}})
	noErr(t, err, "ListKeys after a deleted key")
	equal(t, keyIDs(got), []string{all[3].ID}, "ListKeys after a deleted key")
}

// KeyCountsUpgrade checks the upgrade to schema version 8 on a backend: it
// writes keys and tags through a store from open, turns the database back
// into version 7 with exec (dropping the counts and the list indexes),
// reopens it, and checks that the counts were computed from the keys and
// tags.
func KeyCountsUpgrade(t *testing.T, open func(t *testing.T) store.Store, exec func(t *testing.T, stmt string)) {
	s := open(t)
	e := newEnv(t, s)
	a := e.key(nil)
	e.key(func(k *domain.Key) { k.Spec = domain.SpecSM4; k.State = domain.StateDisabled })
	e.key(func(k *domain.Key) { k.Default = true; k.Alias = "kms/default" })
	e.do(func(tx store.Tx) error { return tx.ReplaceTags(e.ctx, a.ID, []domain.Tag{{Key: "env", Value: "prod"}}) })
	noErr(t, s.Close(), "Close")
	downgrade(t, exec, 7)

	s = open(t)
	defer s.Close()
	e.s = s
	keyTotals(t, e, "after the upgrade")
	tags, err := s.ListProjectTagValues(e.ctx, e.proj.ID)
	noErr(t, err, "ListProjectTagValues after the upgrade")
	equal(t, tags, []domain.Tag{{Key: "env", Value: "prod"}}, "tag values after the upgrade")
}

func testListKeysByTags(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	at := func(sec int, alias string) func(k *domain.Key) {
		return func(k *domain.Key) { k.CreatedAt, k.Alias = base.Add(time.Duration(sec)*time.Second), alias }
	}
	a := e.key(at(1, "App-Prod"))
	b := e.key(at(2, "app-dev"))
	c := e.key(at(3, "a_b%c"))
	d := e.key(func(k *domain.Key) { at(4, "x/default")(k); k.Default = true })
	e.do(func(tx store.Tx) error {
		for id, tags := range map[string][]domain.Tag{
			a.ID: {{Key: "env", Value: "prod"}, {Key: "team", Value: "x"}},
			b.ID: {{Key: "env", Value: "dev"}},
			d.ID: {{Key: "env", Value: "prod"}},
		} {
			if err := tx.ReplaceTags(e.ctx, id, tags); err != nil {
				return err
			}
		}
		return nil
	})
	p := e.proj.ID
	for _, c := range []struct {
		f     store.TagFilter
		want  []domain.Key
		total int
		what  string
	}{
		{store.TagFilter{ProjectID: p}, []domain.Key{a, b, c}, 3, "no condition (default keys left out)"},
		{store.TagFilter{ProjectID: p, Limit: 1, Offset: 1}, []domain.Key{b}, 3, "a window"},
		{store.TagFilter{ProjectID: p, Tags: []store.TagMatch{{Key: "env"}}}, []domain.Key{a, b}, 2, "tag key, any value"},
		{store.TagFilter{ProjectID: p, Tags: []store.TagMatch{{Key: "env", Values: []string{"dev", "qa"}}}}, []domain.Key{b}, 1, "one of the values"},
		{store.TagFilter{ProjectID: p, Tags: []store.TagMatch{{Key: "env"}, {Key: "team", Values: []string{"x"}}}}, []domain.Key{a}, 1, "every tag"},
		{store.TagFilter{ProjectID: p, Tags: []store.TagMatch{{Key: "env"}}, Offset: 1}, []domain.Key{b}, 2, "tag with offset"},
		{store.TagFilter{ProjectID: p, NameContains: "APP"}, []domain.Key{a, b}, 2, "name, case-insensitive"},
		{store.TagFilter{ProjectID: p, NameContains: "_b%"}, []domain.Key{c}, 1, "name with LIKE wildcards, literally"},
		{store.TagFilter{ProjectID: p, NameContains: "app", Tags: []store.TagMatch{{Key: "team"}}}, []domain.Key{a}, 1, "name and tag"},
		{store.TagFilter{ProjectID: p, Tags: []store.TagMatch{{Key: "nope"}}}, nil, 0, "no match"},
	} {
		got, total, err := s.ListKeysByTags(e.ctx, c.f)
		noErr(t, err, c.what)
		equal(t, keyIDs(got), keyIDs(c.want), c.what)
		if total != c.total {
			t.Errorf("%s: total %d, want %d", c.what, total, c.total)
		}
	}
	tags, err := s.ListTagsOf(e.ctx, []string{a.ID, c.ID, newID()})
	noErr(t, err, "ListTagsOf")
	equal(t, tags, map[string][]domain.Tag{a.ID: {{Key: "env", Value: "prod"}, {Key: "team", Value: "x"}}}, "ListTagsOf")
}
