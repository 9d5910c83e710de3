package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"github.com/kmsd/kmsd/internal/store"
)

// Dialect is everything that differs between the SQL backends. The queries
// themselves are shared and written with '?' placeholders.
type Dialect struct {
	// Name prefixes backend-specific messages ("sqlite", "postgres").
	Name string
	// NumberedParams rewrites '?' placeholders to $1, $2, ... (PostgreSQL).
	NumberedParams bool
	// ForUpdate is appended to row-locking reads (LockProject,
	// GetKeyForUpdate, read-before-write): " FOR UPDATE" on PostgreSQL, ""
	// where write transactions are serialized by a database lock (SQLite).
	ForUpdate string
	// Types maps the type tokens of the migration files ({{TEXT}},
	// {{BLOB}}, {{BOOL}}, {{BIGINT}}) to this dialect's type names.
	Types map[string]string
	// IsUnique reports whether err is a unique or primary key violation.
	IsUnique func(error) bool
	// IsForeignKey reports whether err is a foreign key violation.
	IsForeignKey func(error) bool
	// StatementSavepoints wraps every statement that may fail on a
	// constraint in a savepoint, for databases where a failed statement
	// aborts the whole transaction (PostgreSQL). This keeps the store
	// contract that a Tx method failing with a sentinel error has no effect
	// and leaves the transaction usable.
	StatementSavepoints bool
	// GroupCommit serializes write transactions in-process and lets
	// concurrent ones share one database transaction and one commit, each
	// in its own savepoint (group.go); for databases that take one writer
	// at a time (SQLite). Without it every Update is its own transaction.
	GroupCommit bool
	// MigrationLock, when set, is executed first in the migration
	// transaction to serialize concurrent openers (an advisory lock).
	MigrationLock string
	// Notify, when set, is called inside a transaction just before it
	// commits, with the changes it made (deduplicated, in order), so that
	// other processes learn about them only if the commit succeeds.
	Notify func(ctx context.Context, tx *sql.Tx, changes []store.Change) error
}

// rebind rewrites '?' placeholders for dialects with numbered parameters.
// Queries must not contain '?' other than as placeholders.
func (d *Dialect) rebind(q string) string {
	if !d.NumberedParams || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

func (d *Dialect) isUnique(err error) bool     { return d.IsUnique != nil && d.IsUnique(err) }
func (d *Dialect) isForeignKey(err error) bool { return d.IsForeignKey != nil && d.IsForeignKey(err) }
