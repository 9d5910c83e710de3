package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Migrations are files migrations/NNNN_name.sql, applied in version order.
// A released migration is never edited; changes go into a new file.
//
//go:embed migrations/*.sql
var migrationFS embed.FS

type migration struct {
	version int64
	name    string
	sql     string
}

// migrations returns the embedded migrations sorted by version. Versions must
// be 1, 2, 3, ... without gaps.
func migrations() ([]migration, error) {
	files, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, f := range files {
		base := path.Base(f)
		num, _, _ := strings.Cut(base, "_")
		v, err := strconv.ParseInt(num, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("store: bad migration file name %q", base)
		}
		b, err := migrationFS.ReadFile(f)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != int64(i+1) {
			return nil, fmt.Errorf("store: migration %s out of sequence", m.name)
		}
	}
	return ms, nil
}

// SchemaVersion is the schema version this binary migrates databases to.
func SchemaVersion() int64 {
	ms, err := migrations()
	if err != nil {
		panic(err)
	}
	return int64(len(ms))
}

// statements expands the dialect's type tokens and splits a migration into
// statements (each ends with ';' at the end of a line; '--' lines are comments).
func (d *Dialect) statements(src string) []string {
	pairs := make([]string, 0, 2*len(d.Types))
	for k, v := range d.Types {
		pairs = append(pairs, "{{"+k+"}}", v)
	}
	src = strings.NewReplacer(pairs...).Replace(src)
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(src, "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(t, ";") {
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}

// migrate applies the missing migrations (with their dataSteps) in one
// transaction, recording each in schema_migrations. It is idempotent, serialized by the dialect's
// MigrationLock (or by the database's write lock), and refuses a database
// whose schema is newer than this binary's.
func migrate(ctx context.Context, db *sql.DB, d *Dialect) (err error) {
	ms, err := migrations()
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: migrate: begin: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if d.MigrationLock != "" {
		if _, err := tx.ExecContext(ctx, d.MigrationLock); err != nil {
			return fmt.Errorf("store: migrate: lock: %w", err)
		}
	}
	create := d.statements(`CREATE TABLE IF NOT EXISTS schema_migrations (
	version    {{BIGINT}} PRIMARY KEY,
	applied_at {{BIGINT}} NOT NULL
);`)
	if _, err := tx.ExecContext(ctx, create[0]); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	var current int64
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&current); err != nil {
		return fmt.Errorf("store: migrate: read version: %w", err)
	}
	if current > int64(len(ms)) {
		return fmt.Errorf("store: database schema version %d is newer than this binary supports (%d); upgrade kmsd", current, len(ms))
	}
	for _, m := range ms[current:] {
		for _, stmt := range d.statements(m.sql) {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("store: migration %s: %w", m.name, err)
			}
		}
		if step := dataSteps[m.version]; step != nil {
			if err := step(ctx, tx, d); err != nil {
				return fmt.Errorf("store: migration %s: %w", m.name, err)
			}
		}
		if _, err := tx.ExecContext(ctx, d.rebind("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)"),
			m.version, time.Now().UnixMilli()); err != nil {
			return fmt.Errorf("store: migration %s: %w", m.name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: migrate: commit: %w", err)
	}
	return nil
}

// CheckSchema reports whether the database is at exactly the schema
// version this binary migrates to (every migration applied, none newer),
// for the readiness probe.
func (s *Store) CheckSchema(ctx context.Context) error {
	var current int64
	if err := s.db.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&current); err != nil {
		return fmt.Errorf("store: read schema version: %w", err)
	}
	if want := SchemaVersion(); current != want {
		return fmt.Errorf("store: database schema version %d, this binary needs %d", current, want)
	}
	return nil
}
