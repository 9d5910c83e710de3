// Package sqlstore implements [store.Store] once over database/sql for every
// SQL backend; a small [Dialect] captures what differs (placeholders, row
// locks, type names, error codes, change notification). The sqlite and
// postgres packages only open the database and supply the dialect.
//
// # Representation
//
// Times are stored as BIGINT Unix milliseconds UTC, the zero time as 0, and
// are read back in UTC truncated to the millisecond. Empty byte slices and
// empty string lists (grant operations, credential project ids) are read back
// as nil. Lists that match nothing are returned as nil slices.
//
// # Behaviour left open by the store contract
//
//   - Writes that reference a missing row (a key of an unknown project, a
//     version of an unknown key, a keystore of an unknown project, a replica
//     link or material group of an unknown key, ...) fail with an error
//     wrapping [store.ErrNotFound]; so do DeleteKey and ReplaceTags on a
//     missing key.
//   - UpdateKey stores every field of the key except ID; UpdateAlias stores
//     KeyID, DomainID and UpdatedAt; UpdateKeystore stores State.
//   - Keystores list in creation order even within one millisecond: each
//     takes the next number of its project.
//   - ReplaceTags rejects duplicate tag keys with [store.ErrExists].
//   - A Tx method failing with a sentinel error has had no effect and the
//     transaction remains usable; after any other error fn should return.
//   - Update publishes the committed transaction's changes to this store's
//     watchers itself; a dialect's Notify hook tells other processes.
//   - With [Dialect.GroupCommit], concurrent Updates are serialized in
//     process and share commits (see group.go).
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/kmsd/kmsd/internal/store"
)

// querier is what reads need: a *sql.DB or a *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// reader implements [store.Reader] over a querier.
type reader struct {
	q querier
	d *Dialect
}

// Store is a [store.Store] over a *sql.DB.
type Store struct {
	reader
	db      *sql.DB
	hub     hub
	group   group               // write transactions, with Dialect.GroupCommit
	observe func(time.Duration) // nil unless ObserveUpdates

	closeOnce sync.Once
	closeErr  error
}

var _ store.Store = (*Store)(nil)

// Open migrates db to the current schema version and returns a Store that
// owns db (Close closes it). It fails if the database's schema is newer than
// this binary knows.
func Open(ctx context.Context, db *sql.DB, d *Dialect) (*Store, error) {
	if err := migrate(ctx, db, d); err != nil {
		return nil, err
	}
	s := &Store{reader: reader{q: db, d: d}, db: db}
	s.hub.init()
	return s, nil
}

// ObserveUpdates has every Update report its duration, begin to commit, to
// f (for metrics). Call it before the store is used concurrently.
func (s *Store) ObserveUpdates(f func(time.Duration)) { s.observe = f }

// DB returns the underlying database handle.
func (s *Store) DB() *sql.DB { return s.db }

// Update runs fn in one read-write transaction; see [store.Store.Update].
// fn must do all its reads and writes through the Tx it is given.
func (s *Store) Update(ctx context.Context, fn func(tx store.Tx) error) error {
	if s.observe != nil {
		defer func(start time.Time) { s.observe(time.Since(start)) }(time.Now())
	}
	if s.d.GroupCommit {
		return s.updateGrouped(ctx, fn)
	}
	sqlTx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	tx := &Tx{reader: reader{q: sqlTx, d: s.d}, tx: sqlTx}
	done := false
	defer func() {
		// Reached without done on error, on panic (which then continues)
		// and on runtime.Goexit (t.FailNow inside fn).
		if !done {
			_ = sqlTx.Rollback()
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	changes := tx.takeChanges()
	if len(changes) > 0 && s.d.Notify != nil {
		if err := s.d.Notify(ctx, sqlTx, changes); err != nil {
			return fmt.Errorf("store: notify: %w", err)
		}
	}
	done = true
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	s.hub.publish(changes...)
	return nil
}

// Watch subscribes to changes; see [store.Store.Watch]. The channel is closed
// when ctx ends or the store is closed.
func (s *Store) Watch(ctx context.Context) <-chan store.Change {
	return s.hub.subscribe(ctx)
}

// Publish delivers changes to this store's watchers. Backends call it for
// changes made by other processes (PostgreSQL notifications) and with
// [store.ChangeAll] when they may have missed some.
func (s *Store) Publish(changes ...store.Change) { s.hub.publish(changes...) }

// Close closes every watch channel and the database. It is idempotent.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.hub.close()
		if err := s.db.Close(); err != nil {
			s.closeErr = fmt.Errorf("store: close: %w", err)
		}
	})
	return s.closeErr
}

// Tx is a [store.Tx] over a *sql.Tx.
type Tx struct {
	reader
	tx *sql.Tx

	mu      sync.Mutex
	changes []store.Change
	seen    map[store.Change]bool
}

var _ store.Tx = (*Tx)(nil)

// record notes a change to publish if the transaction commits.
func (t *Tx) record(kind store.ChangeKind, id string) {
	c := store.Change{Kind: kind, ID: id}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.seen[c] {
		return
	}
	if t.seen == nil {
		t.seen = make(map[store.Change]bool)
	}
	t.seen[c] = true
	t.changes = append(t.changes, c)
}

func (t *Tx) takeChanges() []store.Change {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := t.changes
	t.changes, t.seen = nil, nil
	return c
}

// execChecked runs a write that may violate a constraint. Where a failed
// statement would abort the transaction it runs inside a savepoint, so the
// failure has no effect and the transaction stays usable.
func (t *Tx) execChecked(ctx context.Context, q string, args ...any) (sql.Result, error) {
	q = t.d.rebind(q)
	if !t.d.StatementSavepoints {
		return t.tx.ExecContext(ctx, q, args...)
	}
	if _, err := t.tx.ExecContext(ctx, "SAVEPOINT kmsd_stmt"); err != nil {
		return nil, err
	}
	res, err := t.tx.ExecContext(ctx, q, args...)
	if err != nil {
		if _, rerr := t.tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT kmsd_stmt"); rerr != nil {
			return nil, errors.Join(err, rerr)
		}
		return nil, err
	}
	if _, err := t.tx.ExecContext(ctx, "RELEASE SAVEPOINT kmsd_stmt"); err != nil {
		return nil, err
	}
	return res, nil
}

// exec runs a write that cannot violate a constraint.
func (t *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, t.d.rebind(q), args...)
}
