package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultTestDSN is the test server used when KMSD_TEST_POSTGRES_DSN is unset.
const DefaultTestDSN = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

var (
	unreachableMu  sync.Mutex
	unreachableErr error // first connection failure, reused to skip fast
	bannerOnce     sync.Once
)

// TestDSN is for tests of any package: it returns a DSN for the PostgreSQL
// test server (env KMSD_TEST_POSTGRES_DSN, default [DefaultTestDSN]) whose
// search_path is a fresh schema, dropped when t ends, so tests and test
// packages can run in parallel. If the server is unreachable the test is
// skipped with a loud message, or fails if KMSD_REQUIRE_POSTGRES=1.
func TestDSN(t *testing.T) string {
	t.Helper()
	base := os.Getenv("KMSD_TEST_POSTGRES_DSN")
	if base == "" {
		base = DefaultTestDSN
	}
	cfg, err := pgx.ParseConfig(base)
	if err != nil {
		t.Fatalf("postgres: invalid KMSD_TEST_POSTGRES_DSN: %v", err)
	}
	where := fmt.Sprintf("%s:%d/%s", cfg.Host, cfg.Port, cfg.Database)

	unreachableMu.Lock()
	prev := unreachableErr
	unreachableMu.Unlock()
	if prev != nil {
		unreachable(t, where, prev)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		unreachableMu.Lock()
		unreachableErr = err
		unreachableMu.Unlock()
		unreachable(t, where, err)
	}
	defer closeConn(conn)

	b := make([]byte, 8)
	_, _ = rand.Read(b)
	schema := "kmsd_test_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize()); err != nil {
		t.Fatalf("postgres: create test schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.ConnectConfig(ctx, cfg)
		if err != nil {
			t.Errorf("postgres: drop test schema %s: %v", schema, err)
			return
		}
		defer closeConn(conn)
		if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
			t.Errorf("postgres: drop test schema %s: %v", schema, err)
		}
	})
	return withParam(base, "search_path", schema)
}

func unreachable(t *testing.T, where string, err error) {
	t.Helper()
	msg := fmt.Sprintf("PostgreSQL not reachable at %s (%v); PostgreSQL tests SKIPPED — set KMSD_REQUIRE_POSTGRES=1 to make this fatal", where, err)
	if os.Getenv("KMSD_REQUIRE_POSTGRES") == "1" {
		t.Fatalf("%s", strings.Replace(msg, "tests SKIPPED — set KMSD_REQUIRE_POSTGRES=1 to make this fatal", "required (KMSD_REQUIRE_POSTGRES=1)", 1))
	}
	bannerOnce.Do(func() { fmt.Fprintf(os.Stderr, "\n*** WARNING: %s ***\n\n", msg) })
	t.Skip("*** " + msg + " ***")
}

// withParam sets a connection parameter in a URL or key=value DSN.
func withParam(dsn, key, value string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		if u, err := url.Parse(dsn); err == nil {
			q := u.Query()
			q.Set(key, value)
			u.RawQuery = q.Encode()
			return u.String()
		}
	}
	return dsn + " " + key + "=" + value
}
