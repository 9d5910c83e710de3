// Package pgtest gives tests of any package a private schema on the
// PostgreSQL test server. It is imported only from _test.go files, so the
// server binary does not link package testing.
//
// The server is KMSD_TEST_POSTGRES_DSN, default [DefaultDSN]. When it is not
// reachable, tests skip through [deps.Postgres]: the package then fails with
// a summary unless KMSD_REQUIRE_POSTGRES=0, and each test fails at once with
// KMSD_REQUIRE_POSTGRES=1 (see package deps). Packages using pgtest call
// deps.Main from their TestMain.
package pgtest

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

	"github.com/kmsd/kmsd/internal/testkit/deps"
)

// DefaultDSN is the test server used when KMSD_TEST_POSTGRES_DSN is unset.
const DefaultDSN = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// Schema names are SchemaPrefix, the UTC creation time as
// schemaTimeLayout, "_" and 16 random hex digits.
const (
	SchemaPrefix     = "kmsd_test_"
	schemaTimeLayout = "20060102150405"
)

// StaleAfter is the age from which a test schema is taken to be left over
// by a test binary that was killed (a timeout, SIGKILL) before its cleanup
// ran: the first [DSN] of every test binary drops such schemas. It is far
// longer than any test run, so schemas of runs in parallel stay.
const StaleAfter = 6 * time.Hour

var (
	unreachableMu  sync.Mutex
	unreachableErr error // first connection failure, reused to skip fast
	staleOnce      sync.Once
)

// base returns the configured server DSN, its parsed configuration and a
// host:port/database description for messages.
func base(t testing.TB) (string, *pgx.ConnConfig, string) {
	t.Helper()
	dsn := os.Getenv("KMSD_TEST_POSTGRES_DSN")
	if dsn == "" {
		dsn = DefaultDSN
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatalf("pgtest: invalid KMSD_TEST_POSTGRES_DSN: %v", err)
	}
	return dsn, cfg, fmt.Sprintf("%s:%d/%s", cfg.Host, cfg.Port, cfg.Database)
}

// connect connects to the test server, or skips t (see the package comment)
// if it is not reachable. After the first failure every call skips at once.
func connect(t testing.TB, ctx context.Context, cfg *pgx.ConnConfig, where string) *pgx.Conn {
	t.Helper()
	unreachableMu.Lock()
	prev := unreachableErr
	unreachableMu.Unlock()
	if prev != nil {
		deps.Postgres.Skip(t, fmt.Sprintf("not reachable at %s (%v)", where, prev))
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		unreachableMu.Lock()
		unreachableErr = err
		unreachableMu.Unlock()
		deps.Postgres.Skip(t, fmt.Sprintf("not reachable at %s (%v)", where, err))
	}
	return conn
}

// Require skips t, as DSN would, unless the test server is reachable. A
// test whose subtests each take a DSN calls it first, so that it reports
// SKIP itself rather than PASS over skipped subtests.
func Require(t testing.TB) {
	t.Helper()
	_, cfg, where := base(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn := connect(t, ctx, cfg, where)
	conn.Close(ctx)
}

// DSN returns a DSN for the test server whose search_path is a fresh
// schema, dropped when t ends, so tests and test packages can run in
// parallel. The first call of a test binary also drops the schemas older
// than [StaleAfter]. If the server is unreachable t skips (see the package
// comment).
func DSN(t testing.TB) string {
	t.Helper()
	dsn, cfg, where := base(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn := connect(t, ctx, cfg, where)
	defer conn.Close(ctx)
	staleOnce.Do(func() {
		dropped, err := DropStale(ctx, conn, time.Now())
		if len(dropped) > 0 {
			t.Logf("pgtest: dropped %d test schema(s) left over by killed test runs: %s", len(dropped), strings.Join(dropped, " "))
		}
		if err != nil {
			t.Logf("pgtest: dropping stale test schemas: %v", err)
		}
	})

	schema := newSchemaName(time.Now())
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize()); err != nil {
		t.Fatalf("pgtest: create test schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.ConnectConfig(ctx, cfg)
		if err != nil {
			t.Errorf("pgtest: drop test schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
			t.Errorf("pgtest: drop test schema %s: %v", schema, err)
		}
	})
	return withParam(dsn, "search_path", schema)
}

// newSchemaName returns a fresh test schema name created at now.
func newSchemaName(now time.Time) string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return SchemaPrefix + now.UTC().Format(schemaTimeLayout) + "_" + hex.EncodeToString(b)
}

// schemaCreated returns the creation time in a test schema name, false for
// any other name (including the undated names of older kmsd versions, whose
// age is unknown).
func schemaCreated(name string) (time.Time, bool) {
	rest, ok := strings.CutPrefix(name, SchemaPrefix)
	if !ok || len(rest) < len(schemaTimeLayout)+1 || rest[len(schemaTimeLayout)] != '_' {
		return time.Time{}, false
	}
	ts, err := time.Parse(schemaTimeLayout, rest[:len(schemaTimeLayout)])
	return ts, err == nil
}

// DropStale drops the test schemas created more than [StaleAfter] before now
// and returns their names. A schema that another run drops meanwhile is not
// an error.
func DropStale(ctx context.Context, conn *pgx.Conn, now time.Time) ([]string, error) {
	rows, err := conn.Query(ctx, "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)", SchemaPrefix)
	if err != nil {
		return nil, err
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	var dropped []string
	for _, name := range names {
		created, ok := schemaCreated(name)
		if !ok || now.Sub(created) < StaleAfter {
			continue
		}
		if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{name}.Sanitize()+" CASCADE"); err != nil {
			return dropped, fmt.Errorf("drop %s: %w", name, err)
		}
		dropped = append(dropped, name)
	}
	return dropped, nil
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
