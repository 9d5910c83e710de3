package service

import (
	"context"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
)

// Store is the part of a [store.Store] the key service uses: the key,
// region and keystore aggregates, the projects of an account (its regions)
// and settings, read directly or in transactions, and the change feed that
// keeps its cache current.
//
// The service opens its transactions with Service.update, which hands them
// on as a [Tx].
type Store interface {
	Reader
	store.Runner
}

// Reader is what the key service reads.
type Reader interface {
	store.KeyReader
	store.RegionReader
	store.KeystoreReader
	store.SettingReader
	// ListProjects is [store.IdentityReader.ListProjects]: the regions of
	// an account are its projects.
	ListProjects(ctx context.Context, domainID, name string) ([]domain.Project, error)
}

// Tx is what the key service reads and writes in a transaction.
type Tx interface {
	Reader
	store.KeyWriter
	store.RegionWriter
	store.KeystoreWriter
	store.SettingWriter
}

// update runs fn in one transaction of the store, seen as a Tx.
func (s *Service) update(ctx context.Context, fn func(tx Tx) error) error {
	return s.store.Update(ctx, func(tx store.Tx) error { return fn(tx) })
}
