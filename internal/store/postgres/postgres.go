// Package postgres is kmsd's shared backend: several kmsd nodes point at one
// PostgreSQL database.
//
// Transactions run at READ COMMITTED; the store's serialization guarantees
// come from row locks: LockProject and GetKeyForUpdate take SELECT ... FOR
// UPDATE locks, and unique indexes settle concurrent creations. Every
// committed write is announced with pg_notify on channel [Channel], queued
// inside the writing transaction so it is delivered only on commit; each
// Store LISTENs on a dedicated connection (reconnecting with backoff, then
// sending ChangeAll) and feeds its watchers. Migrations run under an advisory
// lock, so nodes may start at the same time.
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/kmsd/kmsd/internal/store"
	"github.com/kmsd/kmsd/internal/store/sqlstore"
)

// Channel is the LISTEN/NOTIFY channel; payloads are "<kind>:<id>".
const Channel = "kmsd_changes"

// migrationLockKey identifies kmsd's migration advisory lock ("kmsd" in ASCII).
const migrationLockKey = 0x6b6d7364

// Pool limits.
const (
	maxOpenConns = 16
	maxIdleConns = 8
)

// Dialect is the PostgreSQL dialect of the shared SQL store.
var Dialect = &sqlstore.Dialect{
	Name:           "postgres",
	NumberedParams: true,
	ForUpdate:      " FOR UPDATE",
	Types: map[string]string{
		// Byte-wise ordering and comparison, as in SQLite, whatever the
		// database's collation.
		"TEXT":   `TEXT COLLATE "C"`,
		"BLOB":   "BYTEA",
		"BOOL":   "BOOLEAN",
		"BIGINT": "BIGINT",
	},
	IsUnique:            func(err error) bool { return sqlState(err) == "23505" },
	IsForeignKey:        func(err error) bool { return sqlState(err) == "23503" },
	StatementSavepoints: true,
	MigrationLock:       fmt.Sprintf("SELECT pg_advisory_xact_lock(%d)", migrationLockKey),
	Notify: func(ctx context.Context, tx *sql.Tx, changes []store.Change) error {
		for _, c := range changes {
			if _, err := tx.ExecContext(ctx, "SELECT pg_notify($1, $2)", Channel, string(c.Kind)+":"+c.ID); err != nil {
				return err
			}
		}
		return nil
	},
}

func sqlState(err error) string {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// Store is a PostgreSQL-backed store.Store.
type Store struct {
	*sqlstore.Store
	stopListener func()
}

// Open connects to the database at dsn (a postgres:// URL or key=value
// string; e.g. search_path selects the schema), migrates it, and starts
// listening for other nodes' changes.
func Open(ctx context.Context, dsn string) (store.Store, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse dsn: %w", err)
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(maxOpenConns)
	db.SetMaxIdleConns(maxIdleConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	db.SetConnMaxLifetime(time.Hour)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	ss, err := sqlstore.Open(ctx, db, Dialect)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	stop, err := listen(ctx, cfg, ss.Publish)
	if err != nil {
		ss.Close()
		return nil, fmt.Errorf("postgres: listen: %w", err)
	}
	return &Store{Store: ss, stopListener: stop}, nil
}

// Close stops listening and closes the pool.
func (s *Store) Close() error {
	s.stopListener()
	return s.Store.Close()
}
