package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
	"github.com/kmsd/kmsd/internal/store/postgres"
	"github.com/kmsd/kmsd/internal/store/storetest"
	"github.com/kmsd/kmsd/internal/testkit/deps"
	"github.com/kmsd/kmsd/internal/testkit/pgtest"
)

// TestMain reports tests skipped because PostgreSQL is unreachable (package
// deps).
func TestMain(m *testing.M) { deps.Main(m) }

func open(t *testing.T, dsn string) store.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

// TestConformance gives every subtest a fresh schema.
func TestConformance(t *testing.T) {
	pgtest.Require(t) // SKIP here, not PASS over skipped subtests
	storetest.Run(t, func(t *testing.T) store.Store { return open(t, pgtest.DSN(t)) })
}

// TestConformanceSharedSchema runs the suite with every subtest in one schema.
func TestConformanceSharedSchema(t *testing.T) {
	dsn := pgtest.DSN(t)
	storetest.Run(t, func(t *testing.T) store.Store { return open(t, dsn) })
}

// TestShared runs the two-node suite: two stores (pools and listeners) on one schema.
func TestShared(t *testing.T) {
	dsn := pgtest.DSN(t)
	o := func(t *testing.T) store.Store { return open(t, dsn) }
	storetest.RunShared(t, o, o)
}

// TestConcurrentOpen starts several nodes at once on an empty schema; the
// advisory lock serializes their migrations.
func TestConcurrentOpen(t *testing.T) {
	dsn := pgtest.DSN(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := postgres.Open(context.Background(), dsn)
			if err == nil {
				err = s.Close()
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

func TestRejectsNewerSchema(t *testing.T) {
	dsn := pgtest.DSN(t)
	open(t, dsn).Close()
	exec(t, dsn, "INSERT INTO schema_migrations (version, applied_at) VALUES (999, 0)")
	if s, err := postgres.Open(context.Background(), dsn); err == nil {
		s.Close()
		t.Fatal("Open accepted a database with a newer schema version")
	} else if !strings.Contains(err.Error(), "newer") {
		t.Errorf("Open: %v", err)
	}
}

func TestOpenUnreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := postgres.Open(ctx, "postgres://postgres@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	if err == nil || !strings.HasPrefix(err.Error(), "postgres: ") {
		t.Errorf("Open(unreachable) = %v, want a postgres: error", err)
	}
}

// TestListenerReconnect kills the listener's connection: watchers get a
// ChangeAll, then changes again.
func TestListenerReconnect(t *testing.T) {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	app := "kmsd_test_" + hex.EncodeToString(b)
	dsn := pgtest.DSN(t)
	sep := " " // key=value DSN
	if strings.Contains(dsn, "://") {
		sep = "&" // pgtest.DSN's URL already has a query
	}
	s := open(t, dsn+sep+"application_name="+app)
	defer s.Close()
	writer := open(t, dsn)
	defer writer.Close()
	ctx := t.Context()
	ch := s.Watch(ctx)

	exec(t, dsn, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%'", app)
	wait(t, ch, store.Change{Kind: store.ChangeAll})

	a := domain.Account{ID: "a", Name: "a"}
	p := domain.Project{ID: "p", Name: "p", DomainID: "a"}
	k := domain.Key{ID: "k", DomainID: "a", ProjectID: "p", Alias: "k"}
	err := writer.Update(ctx, func(tx store.Tx) error {
		return errors.Join(tx.CreateAccount(ctx, a), tx.CreateProject(ctx, p), tx.CreateKey(ctx, k))
	})
	if err != nil {
		t.Fatal(err)
	}
	wait(t, ch, store.Change{Kind: store.ChangeKey, ID: "k"})
}

func wait(t *testing.T, ch <-chan store.Change, want store.Change) {
	t.Helper()
	timeout := time.After(15 * time.Second)
	for {
		select {
		case c := <-ch:
			if c == want {
				return
			}
		case <-timeout:
			t.Fatalf("no %+v", want)
		}
	}
}

func exec(t *testing.T, dsn, q string, args ...any) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, q, args...); err != nil {
		t.Fatal(err)
	}
}

func TestUserProjectsUpgrade(t *testing.T) {
	dsn := pgtest.DSN(t)
	storetest.UserProjectsUpgrade(t, func(t *testing.T) store.Store { return open(t, dsn) },
		func(t *testing.T, stmt string) { exec(t, dsn, stmt) })
}

func TestKeystoresAndReplicasUpgrade(t *testing.T) {
	dsn := pgtest.DSN(t)
	storetest.KeystoresAndReplicasUpgrade(t, func(t *testing.T) store.Store { return open(t, dsn) },
		func(t *testing.T, stmt string) { exec(t, dsn, stmt) })
}

func TestAdminGroupsUpgrade(t *testing.T) {
	dsn := pgtest.DSN(t)
	storetest.AdminGroupsUpgrade(t, func(t *testing.T) store.Store { return open(t, dsn) },
		func(t *testing.T, stmt string) { exec(t, dsn, stmt) })
}

func TestKeyCountsUpgrade(t *testing.T) {
	dsn := pgtest.DSN(t)
	storetest.KeyCountsUpgrade(t, func(t *testing.T) store.Store { return open(t, dsn) },
		func(t *testing.T, stmt string) { exec(t, dsn, stmt) })
}

func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, func(b *testing.B) store.Store {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		s, err := postgres.Open(ctx, pgtest.DSN(b))
		if err != nil {
			b.Fatalf("Open: %v", err)
		}
		return s
	})
}
