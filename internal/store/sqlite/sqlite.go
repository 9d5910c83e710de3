// Package sqlite is kmsd's embedded backend: one SQLite database file, opened
// with modernc.org/sqlite (pure Go).
//
// The database runs in WAL mode with synchronous=FULL, so every committed
// transaction is fsync'd before Update returns. Write transactions begin with
// BEGIN IMMEDIATE and therefore hold the database write lock for their whole
// life: they are serializable and LockProject needs no row lock. Writers of
// one process take turns in-process and concurrent ones share a commit
// (group commit, see package sqlstore), so they neither spin on the busy
// timeout nor pay one fsync each; the busy timeout only applies to other
// processes opening the file. Readers run
// concurrently with the writer. Watch is in-process only: it reports the
// writes committed through this Store, not those of other processes sharing
// the file.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/kmsd/kmsd/internal/store"
	"github.com/kmsd/kmsd/internal/store/sqlstore"
)

// BusyTimeout is how long a transaction waits for another connection's write
// lock before failing with SQLITE_BUSY.
const BusyTimeout = 30 * time.Second

// maxConns bounds the connection pool: one writer at a time plus concurrent
// readers.
const maxConns = 8

// Dialect is the SQLite dialect of the shared SQL store.
var Dialect = &sqlstore.Dialect{
	Name:        "sqlite",
	ForUpdate:   "",
	GroupCommit: true,
	Types: map[string]string{
		"TEXT":   "TEXT",
		"BLOB":   "BLOB",
		"BOOL":   "INTEGER",
		"BIGINT": "INTEGER",
	},
	IsUnique: func(err error) bool {
		c := code(err)
		return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	},
	IsForeignKey: func(err error) bool { return code(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY },
}

func code(err error) int {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code()
	}
	return 0
}

// Open opens (creating it with mode 0600 if needed) the SQLite database at
// path and migrates it to the current schema. An existing file keeps its
// permissions.
func Open(path string) (store.Store, error) {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") || strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("sqlite: invalid database path %q (need a plain file path without '?')", path)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	dsn := path + "?" + strings.Join([]string{
		fmt.Sprintf("_busy_timeout=%d", BusyTimeout.Milliseconds()),
		"_journal_mode=WAL",
		"_synchronous=FULL",
		"_foreign_keys=1",
		"_txlock=immediate",
	}, "&")
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), BusyTimeout+10*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	s, err := sqlstore.Open(ctx, db, Dialect)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return s, nil
}

// Snapshot writes a consistent copy of the database at path to dst, which
// must not exist, with VACUUM INTO: one read transaction, so other
// connections and processes keep reading and writing meanwhile, and the
// copy holds exactly the transactions committed before it began. The copy
// is a plain database file without a journal of its own.
func Snapshot(ctx context.Context, path, dst string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("sqlite: snapshot: %w", err)
	}
	db, err := sql.Open("sqlite", path+fmt.Sprintf("?_busy_timeout=%d", BusyTimeout.Milliseconds()))
	if err != nil {
		return fmt.Errorf("sqlite: snapshot: %w", err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", dst); err != nil {
		return fmt.Errorf("sqlite: snapshot %s into %s: %w", path, dst, err)
	}
	return nil
}
