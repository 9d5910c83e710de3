package service

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/op"
	"github.com/kmsd/kmsd/internal/rootkey"
	"github.com/kmsd/kmsd/internal/store"
	"github.com/kmsd/kmsd/internal/testkit"
)

var testCaller = domain.Caller{UserID: "u1", DomainID: "d0000000000000000000000000000001",
	ProjectID: "p0000000000000000000000000000001", Region: "local-1"}

// sharedStore opens one SQLite store and root key with the test caller's
// account and project, for services that act as nodes of one cluster.
func sharedStore(t *testing.T) (store.Store, rootkey.RootKey) {
	t.Helper()
	st, root := testkit.SQLite(t)
	ctx := context.Background()
	err := st.Update(ctx, func(tx store.Tx) error {
		if err := tx.CreateAccount(ctx, domain.Account{ID: testCaller.DomainID, Name: "acct"}); err != nil {
			return err
		}
		return tx.CreateProject(ctx, domain.Project{ID: testCaller.ProjectID, Name: testCaller.Region, DomainID: testCaller.DomainID})
	})
	if err != nil {
		t.Fatal(err)
	}
	return st, root
}

func newTestService(st store.Store, root rootkey.RootKey, clock func() time.Time) *Service {
	return New(Options{Store: st, Root: root, Clock: clock, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
}

// TestConcurrentRunDueRotatesOnce: two nodes sharing one store run the
// background pass at the same time; each due period rotates the key exactly
// once, and every version's material stays available.
func TestConcurrentRunDueRotatesOnce(t *testing.T) {
	st, root := sharedStore(t)
	clock := testkit.NewClock(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	nodes := []*Service{newTestService(st, root, clock.Now), newTestService(st, root, clock.Now)}
	ctx := context.Background()
	k, err := nodes[0].CreateKey(ctx, testCaller, NewKey{Alias: "rotating"})
	if err != nil {
		t.Fatal(err)
	}
	if err := nodes[0].EnableRotation(ctx, testCaller, k.ID); err != nil {
		t.Fatal(err)
	}
	if err := nodes[1].SetRotationInterval(ctx, testCaller, k.ID, 30); err != nil {
		t.Fatal(err)
	}
	for period := 1; period <= 5; period++ {
		clock.Advance(30 * 24 * time.Hour)
		if acted := runConcurrently(t, nodes); acted != 1 {
			t.Fatalf("period %d: %d rotations, want exactly 1", period, acted)
		}
		got, err := st.GetKey(ctx, k.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.RotationCount != period || got.PrimaryVersion != period+1 || !got.LastRotation.Equal(clock.Now()) {
			t.Fatalf("period %d: count %d, primary %d, last %v", period, got.RotationCount, got.PrimaryVersion, got.LastRotation)
		}
	}
	checkVersions(t, newTestService(st, root, clock.Now), k.ID, 6)
}

// runConcurrently runs RunDue on every node at once and returns the total
// number of keys acted on.
func runConcurrently(t *testing.T, nodes []*Service) int {
	t.Helper()
	var wg sync.WaitGroup
	counts := make([]int, len(nodes))
	start := make(chan struct{})
	for i, n := range nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			acted, err := n.RunDue(context.Background())
			if err != nil {
				t.Errorf("node %d: %v", i, err)
			}
			counts[i] = acted
		}()
	}
	close(start)
	wg.Wait()
	return counts[0] + counts[1]
}

// checkVersions asserts that key id has versions 1..n, all with distinct
// material, usable through UseKey.
func checkVersions(t *testing.T, s *Service, id string, n int) {
	t.Helper()
	u, err := s.UseKey(context.Background(), testCaller, id, op.DecryptData)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := u.Primary(); v != n {
		t.Fatalf("primary version %d, want %d", v, n)
	}
	seen := map[string]int{}
	for v := 1; v <= n; v++ {
		m, ok := u.Material(v)
		if !ok || len(m) != 32 {
			t.Fatalf("version %d: material missing or %d bytes", v, len(m))
		}
		if prev, dup := seen[string(m)]; dup {
			t.Fatalf("versions %d and %d share material", prev, v)
		}
		seen[string(m)] = v
	}
}
