package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/kmsd/kmsd/internal/store"
)

// writeErr maps a failed write: unique violations to store.ErrExists,
// foreign key violations to store.ErrNotFound, anything else to an
// infrastructure error. what describes the row ("key \"k1\"").
func (d *Dialect) writeErr(err error, op, what string) error {
	switch {
	case d.isUnique(err):
		return fmt.Errorf("%w: %s", store.ErrExists, what)
	case d.isForeignKey(err):
		return fmt.Errorf("%w: %s refers to a row that does not exist", store.ErrNotFound, what)
	}
	return fmt.Errorf("store: %s %s: %w", op, what, err)
}

// readErr maps a failed single-row read: sql.ErrNoRows to store.ErrNotFound.
func readErr(err error, op, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %s", store.ErrNotFound, what)
	}
	return fmt.Errorf("store: %s %s: %w", op, what, err)
}

func notFound(what string) error { return fmt.Errorf("%w: %s", store.ErrNotFound, what) }

// mustAffect returns ErrNotFound unless res changed at least one row.
func mustAffect(res sql.Result, op, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: %s %s: %w", op, what, err)
	}
	if n == 0 {
		return notFound(what)
	}
	return nil
}

// exists reports whether q (a SELECT of one row) returns a row.
func (r *reader) exists(ctx context.Context, q string, args ...any) (bool, error) {
	var one int
	err := r.q.QueryRowContext(ctx, r.d.rebind(q), args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// count runs a SELECT COUNT(*)-like query.
func (r *reader) count(ctx context.Context, op, q string, args ...any) (int, error) {
	var n int64
	if err := r.q.QueryRowContext(ctx, r.d.rebind(q), args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: %s: %w", op, err)
	}
	return int(n), nil
}

// ms converts a time to stored Unix milliseconds; the zero time is 0.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// fromMS converts stored Unix milliseconds back to a UTC time; 0 is the zero time.
func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// blob normalizes a stored byte slice: empty reads back as nil.
func blob(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

// page returns a LIMIT/OFFSET clause and its arguments; limit <= 0 means no
// limit, a negative offset counts as 0.
func page(offset, limit int) (string, []any) {
	if offset < 0 {
		offset = 0
	}
	if limit <= 0 && offset == 0 {
		return "", nil
	}
	l := int64(limit)
	if limit <= 0 {
		l = math.MaxInt64
	}
	return " LIMIT ? OFFSET ?", []any{l, int64(offset)}
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }
