package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kmsd/kmsd/internal/testkit/deps"
)

func TestMain(m *testing.M) { deps.Main(m) }

func TestSchemaCreated(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if got, ok := schemaCreated(newSchemaName(now)); !ok || !got.Equal(now) {
		t.Errorf("schemaCreated(newSchemaName(%v)) = %v, %v", now, got, ok)
	}
	for _, name := range []string{"kmsd_test_0123456789abcdef", "kmsd_test_2026010203040_x", "public", "kmsd_test_20261302030405_ab"} {
		if _, ok := schemaCreated(name); ok {
			t.Errorf("schemaCreated(%q) ok", name)
		}
	}
}

// TestDropStale leaves schemas behind as a killed test binary would, one
// older than StaleAfter, one younger and one with an undated name of older
// kmsd versions: DropStale drops the old one only.
func TestDropStale(t *testing.T) {
	DSN(t) // a reachable server, and the binary's first DropStale done
	_, cfg, where := base(t)
	ctx := context.Background()
	conn := connect(t, ctx, cfg, where)
	t.Cleanup(func() { conn.Close(ctx) }) // after the drops below
	now := time.Now()
	b := make([]byte, 8)
	rand.Read(b)
	undated := SchemaPrefix + hex.EncodeToString(b)
	old, young := newSchemaName(now.Add(-StaleAfter-time.Minute)), newSchemaName(now.Add(-StaleAfter+time.Minute))
	for _, s := range []string{old, young, undated} {
		if _, err := conn.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{s}.Sanitize()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{s}.Sanitize()); err != nil {
				t.Errorf("drop %s: %v", s, err)
			}
		})
	}
	dropped, err := DropStale(ctx, conn, now)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(dropped, old) || slices.Contains(dropped, young) || slices.Contains(dropped, undated) {
		t.Fatalf("dropped %v; want %s and neither %s nor %s", dropped, old, young, undated)
	}
	var left []string
	rows, err := conn.Query(ctx, "SELECT nspname FROM pg_namespace WHERE nspname = ANY($1)", []string{old, young, undated})
	if err == nil {
		left, err = pgx.CollectRows(rows, pgx.RowTo[string])
	}
	if err != nil {
		t.Fatal(err)
	}
	want := []string{undated, young}
	slices.Sort(left)
	slices.Sort(want)
	if !slices.Equal(left, want) {
		t.Fatalf("schemas left %v, want %v", left, want)
	}
}
