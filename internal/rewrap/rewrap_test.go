package rewrap

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/iam"
	"github.com/kmsd/kmsd/internal/rootkey"
	"github.com/kmsd/kmsd/internal/service"
	"github.com/kmsd/kmsd/internal/store"
	"github.com/kmsd/kmsd/internal/testkit"
)

// fill stores n keys of one version each, n access keys and the wrapped
// settings, all wrapped under rk, and returns every plaintext by the aad
// it was wrapped with.
func fill(t *testing.T, st store.Store, rk rootkey.RootKey, n int) map[string]string {
	t.Helper()
	ctx := t.Context()
	want := map[string]string{}
	wrap := func(pt string, ad []byte) []byte {
		b, err := rk.Wrap(ctx, []byte(pt), ad)
		if err != nil {
			t.Fatal(err)
		}
		want[string(ad)] = pt
		return b
	}
	acct := domain.Account{ID: "a0000000000000000000000000000001", Name: "acct"}
	proj := domain.Project{ID: "p0000000000000000000000000000001", Name: "local-1", DomainID: acct.ID}
	u := domain.User{ID: "u0000000000000000000000000000001", Name: "u", DomainID: acct.ID, PasswordHash: "x"}
	err := st.Update(ctx, func(tx store.Tx) error {
		for _, err := range []error{tx.CreateAccount(ctx, acct), tx.CreateProject(ctx, proj), tx.CreateUser(ctx, u)} {
			if err != nil {
				return err
			}
		}
		for i := range n {
			k := domain.Key{ID: fmt.Sprintf("k%03d", i), DomainID: acct.ID, ProjectID: proj.ID, Alias: fmt.Sprintf("key-%03d", i),
				Spec: domain.SpecAES256, Usage: domain.UsageEncryptDecrypt, Origin: domain.OriginKMS, State: domain.StateEnabled,
				RotationInterval: 365}
			if err := tx.CreateKey(ctx, k); err != nil {
				return err
			}
			if err := tx.CreateVersion(ctx, domain.KeyVersion{KeyID: k.ID, Version: 1, RootKeyID: rk.ID(),
				Wrapped: wrap("material "+k.ID, service.VersionAAD(k.ID, 1))}); err != nil {
				return err
			}
			ak := fmt.Sprintf("AK%018d", i)
			if err := tx.CreateCredential(ctx, domain.Credential{AccessKey: ak, UserID: u.ID, DomainID: acct.ID, RootKeyID: rk.ID(),
				WrappedSK: wrap("secret "+ak, iam.SecretKeyAAD(ak))}); err != nil {
				return err
			}
		}
		for name, ad := range settings() {
			if err := tx.PutSetting(ctx, name, wrap("setting "+name, ad), true); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return want
}

// under checks that every secret of st unwraps under rk alone, to what
// fill wrapped.
func under(t *testing.T, st store.Store, rk rootkey.RootKey, want map[string]string) {
	t.Helper()
	rep, err := Verify(t.Context(), st, rk)
	if err != nil {
		t.Fatalf("Verify under %s: %v", rk.ID(), err)
	}
	if rep.Total() != len(want) || rep.RootKeys[rk.ID()] != rep.Versions+rep.Credentials {
		t.Fatalf("Verify checked %+v, want %d secrets all recorded under %s", rep, len(want), rk.ID())
	}
}

func newKey(t *testing.T) rootkey.RootKey {
	t.Helper()
	k, err := rootkey.OpenFile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.Close() })
	return k
}

func TestRotateRewrapsEverything(t *testing.T) {
	st, prev := testkit.SQLite(t)
	cur := newKey(t)
	want := fill(t, st, prev, 7)
	under(t, st, prev, want)
	var batches int
	job, err := Rotate(t.Context(), st, cur, prev, Options{Owner: "test", Batch: 3, Progress: func(store.Rotation) { batches++ }})
	if err != nil {
		t.Fatal(err)
	}
	if !job.Done || job.Rewrapped != int64(len(want)) || batches != 3+3 {
		t.Fatalf("job %+v after %d batches, want done with %d re-wrapped in 6 batches", job, batches, len(want))
	}
	under(t, st, cur, want)
	if _, err := Verify(t.Context(), st, prev); !errors.Is(err, ErrNotVerified) {
		t.Fatalf("Verify under the previous key after the rotation: %v, want ErrNotVerified", err)
	}
	if n, err := st.CountWrapped(t.Context(), prev.ID()); err != nil || n != 0 {
		t.Fatalf("CountWrapped(previous) = %d, %v", n, err)
	}
	// Exactly once: the job is done, a second call re-wraps nothing.
	again, err := Rotate(t.Context(), st, cur, prev, Options{Owner: "other", Progress: func(store.Rotation) { t.Error("a done job ran again") }})
	if err != nil || !again.Done || again.Rewrapped != job.Rewrapped || again.Owner != job.Owner {
		t.Fatalf("second Rotate: %+v %v, want the finished job %+v", again, err, job)
	}
}

// TestRotateWaitsForAHeldLease: a second process finds the job claimed,
// waits for the lease to lapse, then takes it over and finishes it.
func TestRotateWaitsForAHeldLease(t *testing.T) {
	st, prev := testkit.SQLite(t)
	cur := newKey(t)
	want := fill(t, st, prev, 2)
	clock := testkit.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	err := st.Update(t.Context(), func(tx store.Tx) error {
		return tx.CreateRotation(t.Context(), store.Rotation{From: prev.ID(), To: cur.ID(), Owner: "crashed",
			LeaseUntil: clock.Now().Add(time.Minute), StartedAt: clock.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	waited := 0
	job, err := Rotate(t.Context(), st, cur, prev, Options{Owner: "second", Lease: time.Minute, Clock: clock.Now,
		Waiting: func(j store.Rotation) { waited++ },
		Sleep:   func(context.Context, time.Duration) error { clock.Advance(7 * time.Second); return nil }})
	if err != nil || !job.Done || waited != 1 || job.Owner != "second" {
		t.Fatalf("Rotate: %+v %v after %d waits", job, err, waited)
	}
	under(t, st, cur, want)
}

// TestRotateRefusesAnotherPath: while a job from prev is unfinished, no job
// from prev to a third key starts.
func TestRotateRefusesAnotherPath(t *testing.T) {
	st, prev := testkit.SQLite(t)
	cur, third := newKey(t), newKey(t)
	fill(t, st, prev, 1)
	err := st.Update(t.Context(), func(tx store.Tx) error {
		return tx.CreateRotation(t.Context(), store.Rotation{From: prev.ID(), To: cur.ID(), Owner: "x", StartedAt: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Rotate(t.Context(), st, third, prev, Options{Owner: "y"}); err == nil {
		t.Fatal("a second rotation from the same root key started")
	}
	if _, err := Rotate(t.Context(), st, prev, prev, Options{Owner: "y"}); err == nil {
		t.Fatal("a rotation to the same root key started")
	}
}

// TestRotateWithNodesServing: secrets a node writes meanwhile under the
// rotating key are under the new key already and are left alone; one a
// stale node writes under the previous key is re-wrapped by a later pass.
func TestRotateWithNodesServing(t *testing.T) {
	st, prev := testkit.SQLite(t)
	cur := newKey(t)
	want := fill(t, st, prev, 4)
	rot := rootkey.Rotating(cur, prev)
	stale := false
	job, err := Rotate(t.Context(), st, cur, prev, Options{Owner: "t", Batch: 2, Progress: func(store.Rotation) {
		if !stale { // a node still on the previous key creates a credential mid-run
			stale = true
			ctx := context.Background()
			blob, _ := prev.Wrap(ctx, []byte("late"), iam.SecretKeyAAD("AKLATE"))
			want[string(iam.SecretKeyAAD("AKLATE"))] = "late"
			_ = st.Update(ctx, func(tx store.Tx) error {
				return tx.CreateCredential(ctx, domain.Credential{AccessKey: "AKLATE", UserID: "u0000000000000000000000000000001",
					DomainID: "a0000000000000000000000000000001", RootKeyID: prev.ID(), WrappedSK: blob})
			})
		}
		if _, err := Verify(context.Background(), st, rot); err != nil {
			t.Errorf("mid-rotation, a secret does not unwrap under the rotating key: %v", err)
		}
	}})
	if err != nil || !job.Done {
		t.Fatalf("Rotate: %+v %v", job, err)
	}
	under(t, st, cur, want)
}

// TestCheckNode: while a rotation A -> B runs, only nodes with root key B
// and previous key A may start; once it is done, any may.
func TestCheckNode(t *testing.T) {
	st, _ := testkit.SQLite(t)
	err := st.Update(t.Context(), func(tx store.Tx) error {
		return tx.CreateRotation(t.Context(), store.Rotation{From: "A", To: "B", Owner: "x", StartedAt: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		cur, prev string
		ok        bool
	}{
		{"B", "A", true}, {"A", "", false}, {"B", "", false}, {"C", "A", false}, {"B", "C", false}, {"C", "", true},
	} {
		if err := CheckNode(t.Context(), st, tc.cur, tc.prev); (err == nil) != tc.ok {
			t.Errorf("CheckNode(root %s, previous %q) = %v, want ok %v", tc.cur, tc.prev, err, tc.ok)
		}
	}
	err = st.Update(t.Context(), func(tx store.Tx) error {
		return tx.UpdateRotation(t.Context(), store.Rotation{From: "A", To: "B", Done: true})
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckNode(t.Context(), st, "A", ""); err != nil {
		t.Errorf("after the rotation is done: %v", err)
	}
}
