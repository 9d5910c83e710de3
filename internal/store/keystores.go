package store

import (
	"context"
	"time"
)

// Keystore is a logical keystore: a named group of keys of one project
// (docs/regions-and-keystores.md).
type Keystore struct {
	ID        string
	DomainID  string
	ProjectID string
	Alias     string // unique among the keystores of the account (DomainID)
	State     string // the keystore_state of the API: "2" enabled, "3" disabled
	CreatedAt time.Time
}

// KeystoreReader reads keystores.
type KeystoreReader interface {
	// GetKeystore returns keystore id of a project; ErrNotFound if the
	// project has no keystore of that id.
	GetKeystore(ctx context.Context, projectID, id string) (Keystore, error)
	// ListKeystores returns a window of a project's keystores in the order
	// they were created, and their total ignoring the window.
	ListKeystores(ctx context.Context, projectID string, p Page) ([]Keystore, int, error)
}

// KeystoreWriter writes keystores, inside a Tx. Callers hold
// [KeyWriter.LockProject] of the keystore's project, which orders
// creations and settles them against the keys created in the keystore.
type KeystoreWriter interface {
	// CreateKeystore inserts a keystore. ErrExists on ID or on (DomainID,
	// Alias); ErrNotFound if the project does not exist.
	CreateKeystore(ctx context.Context, ks Keystore) error
	// UpdateKeystore stores State. ErrNotFound.
	UpdateKeystore(ctx context.Context, ks Keystore) error
	// DeleteKeystore removes a keystore, which frees its alias. ErrNotFound.
	DeleteKeystore(ctx context.Context, projectID, id string) error
}
