package sqlite_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
	"github.com/kmsd/kmsd/internal/store/sqlite"
	"github.com/kmsd/kmsd/internal/store/storetest"
)

func open(t *testing.T, path string) store.Store {
	t.Helper()
	s, err := sqlite.Open(path)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		return open(t, filepath.Join(t.TempDir(), "kmsd.db"))
	})
}

func TestConformanceSharedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kmsd.db")
	storetest.Run(t, func(t *testing.T) store.Store { return open(t, path) })
}

func TestReopenDurability(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kmsd.db")
	s := open(t, path)
	a := domain.Account{ID: "a1", Name: "acct", CreatedAt: time.UnixMilli(1700000000123).UTC()}
	p := domain.Project{ID: "p1", Name: "local-1", DomainID: a.ID}
	k := domain.Key{ID: "k1", DomainID: a.ID, ProjectID: p.ID, Alias: "key", Spec: domain.SpecAES256, State: domain.StateEnabled}
	err := s.Update(ctx, func(tx store.Tx) error {
		if err := tx.CreateAccount(ctx, a); err != nil {
			return err
		}
		if err := tx.CreateProject(ctx, p); err != nil {
			return err
		}
		if err := tx.CreateKey(ctx, k); err != nil {
			return err
		}
		return tx.PutSetting(ctx, "token", []byte("secret"), true)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}

	s = open(t, path) // reopening re-runs the (idempotent) migrations
	defer s.Close()
	got, err := s.GetAccount(ctx, a.ID)
	if err != nil || got != a {
		t.Errorf("GetAccount after reopen = %+v, %v", got, err)
	}
	gk, err := s.GetKey(ctx, k.ID)
	if err != nil || gk.Alias != "key" || gk.Revision != 1 {
		t.Errorf("GetKey after reopen = %+v, %v", gk, err)
	}
	v, err := s.GetSetting(ctx, "token")
	if err != nil || string(v) != "secret" {
		t.Errorf("GetSetting after reopen = %q, %v", v, err)
	}
}

func TestFileMode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "kmsd.db")
	s := open(t, path)
	ctx := context.Background()
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.PutSetting(ctx, "x", []byte("y"), false) }); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries { // the database and its -wal/-shm files
		fi, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if mode := fi.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s has mode %v, want 0600", e.Name(), mode)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestPragmas(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "kmsd.db"))
	defer s.Close()
	db := s.(interface{ DB() *sql.DB }).DB()
	for pragma, want := range map[string]string{
		"journal_mode": "wal",
		"synchronous":  "2", // FULL
		"foreign_keys": "1",
		"busy_timeout": "30000",
	} {
		var got string
		if err := db.QueryRow("PRAGMA " + pragma).Scan(&got); err != nil {
			t.Fatalf("PRAGMA %s: %v", pragma, err)
		}
		if got != want {
			t.Errorf("PRAGMA %s = %q, want %q", pragma, got, want)
		}
	}
}

func TestRejectsNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kmsd.db")
	s := open(t, path)
	db := s.(interface{ DB() *sql.DB }).DB()
	if _, err := db.Exec("INSERT INTO schema_migrations (version, applied_at) VALUES (999, 0)"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err := sqlite.Open(path); err == nil {
		s.Close()
		t.Fatal("Open accepted a database with a newer schema version")
	} else {
		t.Logf("Open: %v", err)
	}
}

func TestInvalidPath(t *testing.T) {
	for _, p := range []string{"", ":memory:", "file:x.db", "x.db?mode=ro"} {
		if s, err := sqlite.Open(p); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", p)
		}
	}
}

func TestUserProjectsUpgrade(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kmsd.db")
	storetest.UserProjectsUpgrade(t, func(t *testing.T) store.Store { return open(t, path) }, execOn(path))
}

func TestKeystoresAndReplicasUpgrade(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kmsd.db")
	storetest.KeystoresAndReplicasUpgrade(t, func(t *testing.T) store.Store { return open(t, path) }, execOn(path))
}

// execOn returns a function running one statement on the database file at
// path, outside any store.
func execOn(path string) func(t *testing.T, stmt string) {
	return func(t *testing.T, stmt string) {
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
}

func TestAdminGroupsUpgrade(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kmsd.db")
	storetest.AdminGroupsUpgrade(t, func(t *testing.T) store.Store { return open(t, path) }, execOn(path))
}

func TestKeyCountsUpgrade(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kmsd.db")
	storetest.KeyCountsUpgrade(t, func(t *testing.T) store.Store { return open(t, path) }, execOn(path))
}

func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, func(b *testing.B) store.Store {
		s, err := sqlite.Open(filepath.Join(b.TempDir(), "kmsd.db"))
		if err != nil {
			b.Fatal(err)
		}
		return s
	})
}
