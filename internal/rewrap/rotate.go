package rewrap

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kmsd/kmsd/internal/rootkey"
	"github.com/kmsd/kmsd/internal/store"
)

// Options tune Rotate.
type Options struct {
	// Owner names this process in the job record (host and pid, say).
	Owner string
	// Lease is how long the job stays claimed without progress: another
	// process may take it over once it lapses. Default 30 s.
	Lease time.Duration
	// Batch is how many secrets each transaction re-wraps. Default 100.
	Batch int
	// Progress, when set, is called after each committed batch with the
	// job as committed.
	Progress func(store.Rotation)
	// Waiting, when set, is called when another process holds the job,
	// before Rotate waits for its lease to lapse.
	Waiting func(store.Rotation)
	// Clock and Sleep default to the wall clock.
	Clock func() time.Time
	Sleep func(context.Context, time.Duration) error
}

// ErrLeaseLost is returned when another process took the job over.
var ErrLeaseLost = errors.New("rewrap: another process took the rotation over")

// ErrStranded is returned when secrets under the previous root key remain
// after the passes Rotate makes: a node still wraps new secrets under it.
var ErrStranded = errors.New("rewrap: secrets are still being wrapped under the previous root key")

// passes bounds the re-wrapping passes of one Rotate call.
const passes = 3

func (o *Options) defaults() {
	if o.Lease <= 0 {
		o.Lease = 30 * time.Second
	}
	if o.Batch <= 0 {
		o.Batch = 100
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = func(ctx context.Context, d time.Duration) error {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(d):
				return nil
			}
		}
	}
}

// rotation is one Rotate call.
type rotation struct {
	st        store.Store
	cur, prev rootkey.RootKey
	o         Options
	job       store.Rotation
}

// Rotate re-wraps every secret of st wrapped under prev so that it is wrapped
// under cur, and returns the finished job. Nodes keep serving meanwhile: they
// must run with rootkey.Rotating(cur, prev), which unwraps both.
//
// The job is recorded in the store (one per prev → cur): a process claims it
// with a lease that every batch renews, so one process at a time works on it
// across a cluster; a process that finds it claimed waits until the lease
// lapses; one that finds it done returns it at once. Each batch re-wraps its
// secrets and renews the lease in one transaction, replacing a secret only if
// it is still the one read, so a crash at any point loses nothing and a later
// call resumes where the last committed batch ended. The job is done once no
// secret is left under prev, which Rotate checks before it records so.
func Rotate(ctx context.Context, st store.Store, cur, prev rootkey.RootKey, o Options) (store.Rotation, error) {
	o.defaults()
	if cur.ID() == prev.ID() {
		return store.Rotation{}, fmt.Errorf("rewrap: the new root key %s is the previous one", cur.ID())
	}
	r := &rotation{st: st, cur: cur, prev: prev, o: o}
	if err := r.claim(ctx); err != nil || r.job.Done {
		return r.job, err
	}
	for range passes {
		for _, kind := range store.WrappedKinds {
			if err := r.pass(ctx, kind); err != nil {
				return r.job, err
			}
		}
		if err := r.settings(ctx); err != nil {
			return r.job, err
		}
		done, err := r.finish(ctx)
		if err != nil || done {
			return r.job, err
		}
	}
	return r.job, fmt.Errorf("%w: after %d passes; is every node running with the new root key?", ErrStranded, passes)
}

// claim creates or takes over the job, waiting while another process
// holds it and has not finished it.
func (r *rotation) claim(ctx context.Context) error {
	waited := false
	for {
		var held bool
		err := r.st.Update(ctx, func(tx store.Tx) error {
			j, err := tx.GetRotationForUpdate(ctx, r.prev.ID(), r.cur.ID())
			switch {
			case errors.Is(err, store.ErrNotFound):
				if err := r.noOtherJob(ctx, tx); err != nil {
					return err
				}
				j = store.Rotation{From: r.prev.ID(), To: r.cur.ID(), StartedAt: r.o.Clock(),
					Owner: r.o.Owner, LeaseUntil: r.o.Clock().Add(r.o.Lease)}
				r.job = j
				return tx.CreateRotation(ctx, j) // ErrExists: another process created it first
			case err != nil:
				return err
			case j.Done:
				r.job = j
				return nil
			case j.Owner != r.o.Owner && r.o.Clock().Before(j.LeaseUntil):
				r.job, held = j, true
				return nil
			}
			j.Owner, j.LeaseUntil = r.o.Owner, r.o.Clock().Add(r.o.Lease)
			r.job = j
			return tx.UpdateRotation(ctx, j)
		})
		if errors.Is(err, store.ErrExists) {
			continue // read the job the other process created
		}
		if err != nil || !held {
			return err
		}
		if r.o.Waiting != nil && !waited {
			r.o.Waiting(r.job)
		}
		waited = true
		// Poll: the holder may finish before its lease lapses.
		if err := r.o.Sleep(ctx, max(r.o.Lease/10, 10*time.Millisecond)); err != nil {
			return err
		}
	}
}

// noOtherJob refuses to start a job while another unfinished one involves
// either root key: each secret must be on one path at a time.
func (r *rotation) noOtherJob(ctx context.Context, tx store.Tx) error {
	all, err := tx.ListRotations(ctx)
	if err != nil {
		return err
	}
	for _, j := range all {
		if j.From == r.prev.ID() && j.To == r.cur.ID() {
			// This very job, committed by another process after this
			// transaction looked it up (PostgreSQL reads what each
			// statement finds committed): read it again.
			return store.ErrExists
		}
		if !j.Done && (j.From == r.prev.ID() || j.To == r.prev.ID() || j.From == r.cur.ID() || j.To == r.cur.ID()) {
			return fmt.Errorf("rewrap: the rotation %s -> %s is not finished; finish it first", j.From, j.To)
		}
	}
	return nil
}

// finish records the job done if, in the same transaction, the store
// records no secret under prev any more.
func (r *rotation) finish(ctx context.Context) (done bool, err error) {
	err = r.st.Update(ctx, func(tx store.Tx) error {
		left, err := tx.CountWrapped(ctx, r.prev.ID())
		if err != nil || left > 0 {
			return err
		}
		done = true
		return r.renew(ctx, tx, func(j *store.Rotation) { j.Done, j.FinishedAt = true, r.o.Clock() })
	})
	return done && err == nil, err
}

// renew checks inside tx that this process still holds the job, applies
// change and renews the lease.
func (r *rotation) renew(ctx context.Context, tx store.Tx, change func(*store.Rotation)) error {
	j, err := tx.GetRotationForUpdate(ctx, r.prev.ID(), r.cur.ID())
	if err != nil {
		return err
	}
	if j.Owner != r.o.Owner {
		return fmt.Errorf("%w (%s)", ErrLeaseLost, j.Owner)
	}
	change(&j)
	j.LeaseUntil = r.o.Clock().Add(r.o.Lease)
	if err := tx.UpdateRotation(ctx, j); err != nil {
		return err
	}
	r.job = j
	return nil
}

// pass re-wraps the secrets of kind still under prev, a batch per
// transaction.
func (r *rotation) pass(ctx context.Context, kind store.WrappedKind) error {
	f := store.WrappedFilter{Kind: kind, RootKeyID: r.prev.ID(), Limit: r.o.Batch}
	for {
		page, err := r.st.ListWrapped(ctx, f)
		if err != nil || len(page) == 0 {
			return err
		}
		blobs := make([][]byte, len(page))
		for i, w := range page {
			if blobs[i], err = r.rewrap(ctx, w.Blob, aad(w)); err != nil {
				return describe(err, name(w))
			}
		}
		if err := r.st.Update(ctx, func(tx store.Tx) error {
			n := 0
			for i, w := range page {
				err := tx.ReplaceWrapped(ctx, w, blobs[i], r.cur.ID())
				if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound) {
					continue // deleted or already re-wrapped since it was read
				}
				if err != nil {
					return err
				}
				n++
			}
			return r.renew(ctx, tx, func(j *store.Rotation) { j.Rewrapped += int64(n) })
		}); err != nil {
			return err
		}
		if r.o.Progress != nil {
			r.o.Progress(r.job)
		}
		last := page[len(page)-1]
		f.AfterID, f.AfterVersion = last.ID, last.Version
	}
}

// settings re-wraps the wrapped settings that do not unwrap under cur.
// Settings record no root key id: the attempt under cur tells.
func (r *rotation) settings(ctx context.Context) error {
	for _, name := range settingNames() {
		ad := settings()[name]
		err := r.st.Update(ctx, func(tx store.Tx) error {
			blob, err := tx.GetSetting(ctx, name)
			if errors.Is(err, store.ErrNotFound) {
				return nil
			}
			if err != nil {
				return err
			}
			if err := unwrapOK(ctx, r.cur, blob, ad); err == nil {
				return nil
			} else if !errors.Is(err, rootkey.ErrUnwrap) {
				return err
			}
			next, err := r.rewrap(ctx, blob, ad)
			if err != nil {
				return describe(err, "setting "+name)
			}
			if err := tx.PutSetting(ctx, name, next, false); err != nil {
				return err
			}
			return r.renew(ctx, tx, func(j *store.Rotation) { j.Rewrapped++ })
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// rewrap unwraps blob under prev and wraps it under cur.
func (r *rotation) rewrap(ctx context.Context, blob, ad []byte) ([]byte, error) {
	pt, err := r.prev.Unwrap(ctx, blob, ad)
	if err != nil {
		return nil, err
	}
	defer clear(pt)
	return r.cur.Wrap(ctx, pt, ad)
}

// CheckNode refuses a node configuration that would break a rotation in
// progress: curID is the node's root key and prevID its previous one ("" for
// none). It fails if an unfinished job leads from the node's root key to
// another one (the node could not read what the job re-wrapped), leads to it
// from a key the node lacks, or leads from its previous key to another one.
func CheckNode(ctx context.Context, st store.Reader, curID, prevID string) error {
	jobs, err := st.ListRotations(ctx)
	if err != nil {
		return err
	}
	for _, j := range jobs {
		switch {
		case j.Done:
		case j.From == curID:
			return fmt.Errorf("rewrap: the rotation %s -> %s is running: start this node with root_key %s and root_key_previous %s",
				j.From, j.To, j.To, j.From)
		case j.To == curID && j.From != prevID:
			return fmt.Errorf("rewrap: the rotation %s -> %s is not finished: this node needs root_key_previous %s until it is",
				j.From, j.To, j.From)
		case j.From == prevID && j.To != curID:
			return fmt.Errorf("rewrap: the rotation from %s goes to %s, not to this node's root key %s", j.From, j.To, curID)
		}
	}
	return nil
}
