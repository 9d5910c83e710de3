package rootkey

import (
	"context"
	"errors"
)

// rotating is the root key of a node while a rotation runs: it wraps under
// the new key and unwraps under the new one or, failing that, the previous.
type rotating struct {
	cur, prev RootKey
}

// Rotating returns a RootKey that wraps under cur and unwraps a blob under
// cur or, when cur reports ErrUnwrap, under prev. Its ID is cur's. Close
// closes both. It is what every node runs with while the secrets of a store
// are re-wrapped from prev to cur.
func Rotating(cur, prev RootKey) RootKey { return &rotating{cur: cur, prev: prev} }

func (r *rotating) ID() string { return r.cur.ID() }

func (r *rotating) Wrap(ctx context.Context, plaintext, aad []byte) ([]byte, error) {
	return r.cur.Wrap(ctx, plaintext, aad)
}

func (r *rotating) Unwrap(ctx context.Context, blob, aad []byte) ([]byte, error) {
	p, err := r.cur.Unwrap(ctx, blob, aad)
	if errors.Is(err, ErrUnwrap) {
		return r.prev.Unwrap(ctx, blob, aad)
	}
	return p, err
}

func (r *rotating) Close() error { return errors.Join(r.cur.Close(), r.prev.Close()) }

// PreviousID returns the id of the previous key of a Rotating key, and ""
// for any other key.
func PreviousID(k RootKey) string {
	if r, ok := k.(*rotating); ok {
		return r.prev.ID()
	}
	return ""
}
