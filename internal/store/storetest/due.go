package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
)

// testKeysDue works in 1990 so that keys of the other subtests (created in
// 2024) are never due at its "now".
func testKeysDue(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	now := time.Date(1990, 6, 1, 0, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	pending := func(del time.Time) func(*domain.Key) {
		return func(k *domain.Key) {
			k.CreatedAt, k.State, k.DeletionDate = now.Add(-time.Hour), domain.StatePendingDeletion, del
		}
	}
	rotation := func(enabled bool, st domain.KeyState, interval int, created, last time.Time) func(*domain.Key) {
		return func(k *domain.Key) {
			k.RotationEnabled, k.State, k.RotationInterval, k.CreatedAt, k.LastRotation = enabled, st, interval, created, last
		}
	}
	external := func(st domain.KeyState, expiry time.Time) func(*domain.Key) {
		return func(k *domain.Key) {
			k.Origin, k.State, k.MaterialExpiry, k.CreatedAt = domain.OriginExternal, st, expiry, now.Add(-400*day)
			if st == domain.StatePendingDeletion {
				k.DeletionDate = now.Add(day)
			}
		}
	}
	cases := []struct {
		name string
		due  bool
		mod  func(*domain.Key)
	}{
		{"deletion passed", true, pending(now.Add(-time.Millisecond))},
		{"deletion now", true, pending(now)},
		{"deletion later", false, pending(now.Add(time.Millisecond))},
		{"rotation from creation", true, rotation(true, domain.StateEnabled, 30, now.Add(-31*day), time.Time{})},
		{"rotation from last rotation, boundary", true, rotation(true, domain.StateEnabled, 30, now.Add(-400*day), now.Add(-30*day))},
		{"rotation 365 days, boundary", true, rotation(true, domain.StateEnabled, 365, now.Add(-365*day), time.Time{})},
		{"rotation not yet (last rotation counts)", false, rotation(true, domain.StateEnabled, 30, now.Add(-400*day), now.Add(-29*day))},
		{"rotation not yet (young key)", false, rotation(true, domain.StateEnabled, 30, now.Add(-29*day), time.Time{})},
		{"rotation off", false, rotation(false, domain.StateEnabled, 30, now.Add(-400*day), time.Time{})},
		{"rotation of a disabled key", false, rotation(true, domain.StateDisabled, 30, now.Add(-400*day), time.Time{})},
		{"material expired, enabled", true, external(domain.StateEnabled, now.Add(-time.Second))},
		{"material expires now, disabled", true, external(domain.StateDisabled, now)},
		{"material expires later", false, external(domain.StateEnabled, now.Add(time.Second))},
		{"material never expires", false, external(domain.StateEnabled, time.Time{})},
		{"material expired, pending import", false, external(domain.StatePendingImport, now.Add(-day))},
		{"material expired, pending deletion later", false, external(domain.StatePendingDeletion, now.Add(-day))},
		{"kms key with an expiry", false, func(k *domain.Key) {
			k.CreatedAt, k.MaterialExpiry = now.Add(-400*day), now.Add(-day)
		}},
	}
	var want []string
	names := map[string]string{}
	for _, c := range cases {
		k := e.key(c.mod)
		names[k.ID] = c.name
		if c.due {
			want = append(want, k.ID)
		}
	}
	slices.Sort(want)

	got, err := s.KeysDue(e.ctx, now, 0)
	noErr(t, err, "KeysDue")
	ids := keyIDs(got)
	if !slices.Equal(ids, want) {
		for _, id := range ids {
			if !slices.Contains(want, id) {
				t.Errorf("KeysDue returned %q (%s)", id, names[id])
			}
		}
		for _, id := range want {
			if !slices.Contains(ids, id) {
				t.Errorf("KeysDue missed %q (%s)", id, names[id])
			}
		}
		t.Errorf("KeysDue ids = %v, want %v (ordered by id)", ids, want)
	}
	if len(got) > 0 {
		k, _ := s.GetKey(e.ctx, got[0].ID)
		equal(t, got[0], k, "KeysDue returns whole keys")
	}

	got, err = s.KeysDue(e.ctx, now, 3)
	noErr(t, err, "KeysDue limit")
	equal(t, keyIDs(got), want[:3], "KeysDue limit 3")

	got, err = s.KeysDue(e.ctx, now.Add(-500*day), 0)
	noErr(t, err, "KeysDue earlier")
	if len(got) != 0 {
		t.Errorf("KeysDue long before: %v", keyIDs(got))
	}
	e.do(func(tx store.Tx) error {
		got, err := tx.KeysDue(e.ctx, now, 0)
		noErr(t, err, "tx.KeysDue")
		equal(t, keyIDs(got), want, "tx.KeysDue")
		return nil
	})
}
