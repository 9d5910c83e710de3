package iam

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/rootkey"
	"github.com/kmsd/kmsd/internal/store/sqlite"
	"github.com/kmsd/kmsd/internal/testkit"
)

func TestLockoutPolicy(t *testing.T) {
	l := Lockout{}.withDefaults()
	if l != (Lockout{Failures: 5, Window: 15 * time.Minute, Duration: 15 * time.Minute}) {
		t.Fatalf("defaults %+v", l)
	}
	t0 := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	var f domain.LoginFailures
	for i := 1; i <= 4; i++ {
		f = l.fail(f, t0.Add(time.Duration(i)*time.Minute))
		if f.Failures != i || !f.WindowStart.Equal(t0.Add(time.Minute)) || !f.LockedUntil.IsZero() {
			t.Fatalf("failure %d: %+v", i, f)
		}
	}
	if want := t0.Add(16 * time.Minute); !f.ExpiresAt.Equal(want) {
		t.Fatalf("expiry %v, want the window's end %v", f.ExpiresAt, want)
	}
	locked := l.fail(f, t0.Add(10*time.Minute))
	if want := t0.Add(25 * time.Minute); !locked.LockedUntil.Equal(want) || locked.Failures != 0 || !locked.ExpiresAt.Equal(want) {
		t.Fatalf("fifth failure in the window: %+v, want locked until %v", locked, want)
	}
	late := l.fail(f, t0.Add(16*time.Minute)) // the window opened at t0+1m has closed
	if late.Failures != 1 || !late.WindowStart.Equal(t0.Add(16*time.Minute)) || !late.LockedUntil.IsZero() {
		t.Fatalf("failure after the window: %+v", late)
	}
}

// fastHashes makes PBKDF2 run one iteration, whatever the stored hash says,
// for tests about what happens around the hash (under the race detector a
// full one takes seconds). TestUnknownUsersCostAFullHash keeps the real one.
func fastHashes(t *testing.T) {
	real := deriveKey
	deriveKey = func(pw string, salt []byte, _, keyLen int) ([]byte, error) { return real(pw, salt, 1, keyLen) }
	t.Cleanup(func() { deriveKey = real })
}

// lockoutService is an identity service on a fresh store with a test clock
// and a bootstrap user admin/admin with password "right".
func lockoutService(t *testing.T) (*Service, *testkit.Clock) {
	t.Helper()
	fastHashes(t)
	st, rk := testkit.SQLite(t)
	clock := testkit.NewClock(time.Now().UTC())
	s := New(Options{Store: st, Root: rk, Clock: clock.Now})
	if _, err := s.EnsureBootstrap(context.Background(), Bootstrap{Password: "right"}); err != nil {
		t.Fatal(err)
	}
	return s, clock
}

func TestLoginLockout(t *testing.T) {
	ctx := context.Background()
	s, clock := lockoutService(t)
	login := func(pw string) error { _, _, err := s.Login(ctx, "admin", "", "admin", pw); return err }
	for i := range 5 {
		if err := login("wrong"); !errors.Is(err, ErrUnknown) {
			t.Fatalf("wrong password %d: %v", i+1, err)
		}
	}
	if err := login("right"); !errors.Is(err, ErrLocked) {
		t.Fatalf("right password after 5 failures: %v, want ErrLocked", err)
	}
	clock.Advance(15*time.Minute - time.Second)
	if err := login("right"); !errors.Is(err, ErrLocked) {
		t.Fatalf("just before the lock ends: %v", err)
	}
	clock.Advance(time.Second)
	if err := login("right"); err != nil {
		t.Fatalf("after the lock: %v", err)
	}

	// A success forgets earlier failures: 4 + success + 4 does not lock.
	for _, pw := range []string{"x", "x", "x", "x", "right", "x", "x", "x", "x", "right"} {
		if err := login(pw); errors.Is(err, ErrLocked) {
			t.Fatal("locked although a success reset the count")
		}
	}
	// Failures older than the window are not counted.
	for range 4 {
		login("x")
	}
	clock.Advance(15 * time.Minute)
	login("x")
	if err := login("right"); err != nil {
		t.Fatalf("failures spread over more than the window: %v", err)
	}
}

// TestUnknownUsersAreLockedToo checks that the lockout treats an unknown
// user and an unknown account like a real user.
func TestUnknownUsersAreLockedToo(t *testing.T) {
	ctx := context.Background()
	s, _ := lockoutService(t)
	for _, who := range [][2]string{{"admin", "nobody"}, {"no-such-account", "admin"}} {
		var err error
		for range 6 {
			_, _, err = s.Login(ctx, who[0], "", who[1], "guess")
		}
		if !errors.Is(err, ErrLocked) {
			t.Errorf("%s/%s after 6 failures: %v, want ErrLocked", who[0], who[1], err)
		}
	}
	if _, _, err := s.Login(ctx, "admin", "", "admin", "right"); err != nil {
		t.Fatalf("the real user is not locked by others' failures: %v", err)
	}
}

// TestLockoutAcrossServices runs two identity services (two nodes) on one
// store: failures counted on either lock the user on both.
func TestLockoutAcrossServices(t *testing.T) {
	ctx := context.Background()
	fastHashes(t)
	dir := t.TempDir()
	root, err := rootkey.OpenFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	var nodes []*Service
	for range 2 {
		st, err := sqlite.Open(filepath.Join(dir, "kmsd.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		nodes = append(nodes, New(Options{Store: st, Root: root, Lockout: Lockout{Failures: 4}}))
	}
	if _, err := nodes[0].EnsureBootstrap(ctx, Bootstrap{Password: "right"}); err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		nodes[i%2].Login(ctx, "admin", "", "admin", "wrong")
	}
	for i, n := range nodes {
		if _, _, err := n.Login(ctx, "admin", "", "admin", "right"); !errors.Is(err, ErrLocked) {
			t.Errorf("node %d after 2+2 failures: %v, want ErrLocked", i, err)
		}
	}
}
