package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/kmsd/kmsd/internal/store"
)

// Group commit is the write path of dialects with [Dialect.GroupCommit]
// (SQLite), whose database takes one writer at a time.
//
// Update serializes writers in-process (a turn, taken in arrival order)
// instead of letting them contend for the database lock through its busy
// timeout. A writer that ends its turn while others wait for theirs leaves
// the transaction open, and the next writer runs its function in the same
// database transaction: each function runs inside its own savepoint, so one
// that fails (or panics) is rolled back alone, as if it had run in a
// transaction of its own. The writer that ends its turn with nobody
// waiting, or with the batch full, commits the batch: one commit and one
// fsync for all of them. Every writer whose function succeeded returns only
// after that commit, with its result; none returns nil before its writes are
// durable. A writer whose function failed also returns only when the batch
// has ended, so that what its function saw (say, a row another writer of the
// batch created) is committed when its caller looks again, as it would be
// after waiting for the database lock. The batch is serializable: it is the
// functions' run in turn order, with each seeing the writes of those before
// it.
//
// If a savepoint cannot be released or rolled back (the database
// abandoned the transaction, e.g. on an I/O error or an interrupted
// statement), the batch is broken: it is rolled back and every writer of it
// that succeeded returns an error.

// maxBatch bounds the functions that share one commit, and so the latency
// a writer adds to the first one of its batch.
const maxBatch = 64

// group is a Store's group commit state.
type group struct {
	turn    sync.Mutex   // held by the writer whose function runs, or that commits
	waiting atomic.Int64 // writers waiting for the turn
	cur     *batch       // the open batch, if any; guarded by turn
}

// batch is one database transaction shared by writers.
type batch struct {
	tx      *sql.Tx
	members int // writers that ended their turn in it
	writers int // of them, those whose function succeeded
	changes []store.Change
	broken  error
	err     error         // the commit's result, set before done is closed
	done    chan struct{} // closed when the batch has committed or failed
}

// noCancel is the context of the batch's own statements (begin, savepoints,
// commit): the transaction outlives the context of the writer that opened
// it.
var noCancel = context.Background()

func (s *Store) updateGrouped(ctx context.Context, fn func(tx store.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b, err := s.join()
	if err != nil {
		return err
	}
	if _, err := b.tx.ExecContext(noCancel, "SAVEPOINT kmsd_update"); err != nil {
		b.broken = err
		s.leave(b)
		return fmt.Errorf("store: begin: %w", err)
	}
	tx := &Tx{reader: reader{q: b.tx, d: s.d}, tx: b.tx}
	returned := false
	defer func() {
		if !returned { // fn panicked (the panic goes on) or called runtime.Goexit
			b.undo()
			s.leave(b)
			<-b.done
		}
	}()
	fnErr := fn(tx)
	returned = true
	if fnErr != nil {
		// Wait for the batch all the same: fn may have failed on a write
		// of an earlier writer of the batch (ErrExists), which the caller
		// must find committed when it looks again.
		b.undo()
		s.leave(b)
		<-b.done
		return fnErr
	}
	if _, err := b.tx.ExecContext(noCancel, "RELEASE SAVEPOINT kmsd_update"); err != nil {
		b.broken = err
		s.leave(b)
		return fmt.Errorf("store: commit: %w", err)
	}
	b.writers++
	b.changes = append(b.changes, tx.takeChanges()...)
	s.leave(b)
	<-b.done
	return b.err
}

// join waits for the writer's turn and returns the open batch, beginning
// one if there is none. On error it has given the turn back.
func (s *Store) join() (*batch, error) {
	g := &s.group
	g.waiting.Add(1)
	g.turn.Lock()
	g.waiting.Add(-1)
	if g.cur != nil {
		return g.cur, nil
	}
	tx, err := s.db.BeginTx(noCancel, nil)
	if err != nil {
		g.turn.Unlock()
		return nil, fmt.Errorf("store: begin: %w", err)
	}
	g.cur = &batch{tx: tx, done: make(chan struct{})}
	return g.cur, nil
}

// undo rolls back the current writer's savepoint.
func (b *batch) undo() {
	_, err := b.tx.ExecContext(noCancel, "ROLLBACK TO SAVEPOINT kmsd_update")
	if err == nil {
		_, err = b.tx.ExecContext(noCancel, "RELEASE SAVEPOINT kmsd_update")
	}
	if err != nil && b.broken == nil {
		b.broken = err
	}
}

// leave ends the current writer's turn. It hands the open batch to the
// next writer if one waits and the batch may grow; otherwise it commits
// the batch, publishes its changes and releases its writers.
func (s *Store) leave(b *batch) {
	g := &s.group
	b.members++
	if b.broken == nil && b.members < maxBatch && g.waiting.Load() > 0 {
		g.turn.Unlock()
		return
	}
	g.cur = nil
	b.err = s.finish(b)
	g.turn.Unlock()
	if b.err == nil {
		s.hub.publish(b.changes...)
	}
	close(b.done)
}

// finish commits b, or rolls it back when it is broken or wrote nothing.
func (s *Store) finish(b *batch) error {
	if b.broken != nil || b.writers == 0 {
		rerr := b.tx.Rollback()
		if b.broken != nil {
			return fmt.Errorf("store: commit: transaction abandoned: %w", errors.Join(b.broken, rerr))
		}
		return nil
	}
	if len(b.changes) > 0 && s.d.Notify != nil {
		if err := s.d.Notify(noCancel, b.tx, b.changes); err != nil {
			_ = b.tx.Rollback()
			return fmt.Errorf("store: notify: %w", err)
		}
	}
	if err := b.tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}
