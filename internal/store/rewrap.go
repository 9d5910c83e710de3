package store

import (
	"context"
	"time"
)

// WrappedKind names a table of root-wrapped secrets that records which root
// key wrapped each of them.
type WrappedKind string

// Wrapped kinds.
const (
	WrappedVersion    WrappedKind = "version"    // key material: ID is the key id, Version its version
	WrappedCredential WrappedKind = "credential" // an access key's secret: ID is the access key, Version 0
)

// WrappedKinds lists every WrappedKind, in the order a full pass visits them.
var WrappedKinds = []WrappedKind{WrappedVersion, WrappedCredential}

// Wrapped is one stored root-wrapped secret.
type Wrapped struct {
	Kind      WrappedKind
	ID        string
	Version   int
	Blob      []byte
	RootKeyID string
}

// WrappedFilter selects root-wrapped secrets for ListWrapped.
type WrappedFilter struct {
	Kind WrappedKind // required
	// RootKeyID keeps only the secrets wrapped under that root key; "" keeps all.
	RootKeyID string
	// AfterID and AfterVersion resume a listing: only (ID, Version) greater
	// than them are returned. Zero values start at the beginning.
	AfterID      string
	AfterVersion int
	Limit        int // required, > 0
}

// Rotation is the record of one root-key rotation job, from one root key to
// another: there is one per (From, To), so a finished job is never run again.
type Rotation struct {
	From, To string // root key ids
	// Done is set once no secret is wrapped under From any more.
	Done bool
	// Owner is the process running the job and LeaseUntil when its claim
	// lapses; another process may take the job over after that.
	Owner      string
	LeaseUntil time.Time
	Rewrapped  int64 // secrets re-wrapped so far, over every run
	StartedAt  time.Time
	FinishedAt time.Time // zero until Done
}

// RewrapReader reads root-wrapped secrets and rotation jobs.
type RewrapReader interface {
	// ListWrapped returns up to f.Limit secrets of f.Kind ordered by (ID,
	// Version), skipping rows that hold no secret (no material, no secret key).
	ListWrapped(ctx context.Context, f WrappedFilter) ([]Wrapped, error)
	// CountWrapped counts the secrets of every kind wrapped under rootKeyID.
	CountWrapped(ctx context.Context, rootKeyID string) (int64, error)
	// GetRotation returns the job from → to; ErrNotFound if there is none.
	GetRotation(ctx context.Context, from, to string) (Rotation, error)
	// ListRotations returns every job ordered by (StartedAt, From, To).
	ListRotations(ctx context.Context) ([]Rotation, error)
}

// RewrapWriter replaces root-wrapped secrets and records rotation jobs,
// inside a Tx.
type RewrapWriter interface {
	// ReplaceWrapped stores blob, wrapped under rootKeyID, in place of w if
	// the row still holds w.Blob under w.RootKeyID: ErrConflict if it has
	// changed since, ErrNotFound if it is gone. It emits no change event:
	// the secret itself is unchanged.
	ReplaceWrapped(ctx context.Context, w Wrapped, blob []byte, rootKeyID string) error
	// GetRotationForUpdate is GetRotation, locking the job's row until the
	// transaction ends.
	GetRotationForUpdate(ctx context.Context, from, to string) (Rotation, error)
	// CreateRotation records a new job; ErrExists if one from r.From to
	// r.To exists.
	CreateRotation(ctx context.Context, r Rotation) error
	// UpdateRotation replaces the job r.From → r.To; ErrNotFound if there
	// is none.
	UpdateRotation(ctx context.Context, r Rotation) error
}
