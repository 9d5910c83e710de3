package iam

import (
	"context"

	"github.com/kmsd/kmsd/internal/store"
)

// Store is the part of a [store.Store] the identity service uses: the
// identity aggregate and the settings that hold the token-signing key and
// the bootstrap access key.
//
// The service opens its transactions with Service.update, which hands them
// on as a [Tx]; the identity caches follow Watch (Service.Watch).
type Store interface {
	Reader
	store.Runner
}

// Reader is what the identity service reads.
type Reader interface {
	store.IdentityReader
	store.SettingReader
}

// Tx is what the identity service reads and writes in a transaction.
type Tx interface {
	Reader
	store.IdentityWriter
	store.SettingWriter
}

// update runs fn in one transaction of the store, seen as a Tx.
func (s *Service) update(ctx context.Context, fn func(tx Tx) error) error {
	return s.store.Update(ctx, func(tx store.Tx) error { return fn(tx) })
}
