// Package store defines kmsd's persistence contract: a small, domain-level
// interface with sentinel errors and read-write transactions. Backends live in
// sub-packages (sqlite, postgres) and must pass the exported conformance suite
// in package storetest.
//
// # Error contract
//
// Methods return errors wrapping exactly one of the sentinels below when the
// condition applies (callers test with errors.Is); any other error is an
// infrastructure failure (I/O, connection) and is reported as such.
//
// # Consistency
//
// Every committed [Store.Update] is durable (fsync'd) before it returns nil.
// Reads on a [Store] see every transaction committed before they started.
// Transactions on one store are serializable with respect to each other: a
// backend may achieve this with a database-wide write lock (SQLite) or with
// row locks taken by [Tx.LockProject] and [Tx.GetKeyForUpdate] (PostgreSQL).
package store

import (
	"context"
	"errors"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
)

// Sentinel errors.
var (
	ErrNotFound = errors.New("store: not found")
	ErrExists   = errors.New("store: already exists") // unique constraint (id, alias, name)
	ErrConflict = errors.New("store: conflict")       // stale revision
)

// Store is the persistent state of kmsd, shared by every node that points at it.
type Store interface {
	Reader
	// Update runs fn in one read-write transaction. If fn returns an error (or
	// panics) nothing is written and Update returns that error unchanged.
	// Update never retries fn.
	Update(ctx context.Context, fn func(tx Tx) error) error
	// Watch delivers a Change for every committed write to keys, key
	// versions, aliases, tags, grants and credentials made by any process
	// sharing the store (in-process only for embedded backends), until ctx
	// ends. Delivery is best effort: on overflow or reconnect the backend
	// sends a Change with Kind ChangeAll, after which consumers must drop
	// every cached entry.
	Watch(ctx context.Context) <-chan Change
	// Close releases the backend's resources.
	Close() error
}

// ChangeKind says what a Change is about.
type ChangeKind string

// Change kinds.
const (
	ChangeKey        ChangeKind = "key"        // ID is a key id (metadata, versions, aliases, tags)
	ChangeGrant      ChangeKind = "grant"      // ID is the key id the grant belongs to
	ChangeCredential ChangeKind = "credential" // ID is an access key
	ChangeAll        ChangeKind = "all"        // drop every cache entry
)

// Change is an invalidation event.
type Change struct {
	Kind ChangeKind
	ID   string
}

// KeyFilter selects keys for ListKeys. Zero fields do not filter.
type KeyFilter struct {
	ProjectID string          // required
	State     domain.KeyState // "" = any
	Spec      domain.KeySpec  // "" = any
	Offset    int
	Limit     int // 0 = no limit
}

// Page selects a window of an ordered list.
type Page struct {
	Offset int
	Limit  int // 0 = no limit
}

// Reader holds the read operations available both on a Store and in a Tx.
type Reader interface {
	GetAccount(ctx context.Context, id string) (domain.Account, error)
	GetAccountByName(ctx context.Context, name string) (domain.Account, error)
	GetProject(ctx context.Context, id string) (domain.Project, error)
	// ListProjects returns projects ordered by name then id; domainID and
	// name filter when non-empty.
	ListProjects(ctx context.Context, domainID, name string) ([]domain.Project, error)
	GetUser(ctx context.Context, id string) (domain.User, error)
	GetUserByName(ctx context.Context, domainID, name string) (domain.User, error)
	GetCredential(ctx context.Context, accessKey string) (domain.Credential, error)
	// GetSetting returns a named opaque server setting (e.g. the wrapped
	// token-signing key).
	GetSetting(ctx context.Context, name string) ([]byte, error)
	// GetLoginFailures returns the failed-login record of a login name;
	// ErrNotFound if there is none.
	GetLoginFailures(ctx context.Context, login string) (domain.LoginFailures, error)

	// GetKey returns a key by id, whatever its project.
	GetKey(ctx context.Context, id string) (domain.Key, error)
	// GetKeyByAlias returns the key of a project whose key_alias is alias.
	GetKeyByAlias(ctx context.Context, projectID, alias string) (domain.Key, error)
	// ListKeys returns the keys matching f ordered by (CreatedAt, ID), and
	// the total number of matches ignoring Offset and Limit.
	ListKeys(ctx context.Context, f KeyFilter) ([]domain.Key, int, error)
	// CountKeys counts a project's non-default keys in every state.
	CountKeys(ctx context.Context, projectID string) (int, error)
	// KeysDue returns up to limit keys, ordered by id, needing background
	// work at now: pending deletion with DeletionDate <= now; or rotation
	// enabled, enabled state and max(LastRotation, CreatedAt) +
	// RotationInterval days <= now; or external origin in state 2/3 with a
	// non-zero MaterialExpiry <= now.
	KeysDue(ctx context.Context, now time.Time, limit int) ([]domain.Key, error)

	GetVersion(ctx context.Context, keyID string, version int) (domain.KeyVersion, error)
	// ListVersions returns a key's versions ordered by Version.
	ListVersions(ctx context.Context, keyID string) ([]domain.KeyVersion, error)

	GetAlias(ctx context.Context, projectID, name string) (domain.Alias, error)
	// ListAliases returns a project's aliases ordered by name with name >
	// after; keyID filters when non-empty.
	ListAliases(ctx context.Context, projectID, keyID, after string, limit int) ([]domain.Alias, error)
	CountAliases(ctx context.Context, keyID string) (int, error)

	// ListTags returns a key's tags ordered by tag key.
	ListTags(ctx context.Context, keyID string) ([]domain.Tag, error)
	// ListProjectTags returns the tags of every key of a project, by key id.
	ListProjectTags(ctx context.Context, projectID string) (map[string][]domain.Tag, error)

	GetGrant(ctx context.Context, id string) (domain.Grant, error)
	// ListGrants returns a key's grants ordered by (CreatedAt, ID) and the total.
	ListGrants(ctx context.Context, keyID string, p Page) ([]domain.Grant, int, error)
	// ListRetirableGrants returns the grants a caller known by principals
	// (user id, account id) may retire: those whose RetiringPrincipal is one
	// of principals, and those whose GranteePrincipal is one of principals
	// and whose Operations include "retire-grant"; ordered by (CreatedAt,
	// ID), with the total.
	ListRetirableGrants(ctx context.Context, principals []string, p Page) ([]domain.Grant, int, error)
	// ListGranteeGrants returns every grant on keyID whose GranteePrincipal
	// is one of principals.
	ListGranteeGrants(ctx context.Context, keyID string, principals []string) ([]domain.Grant, error)
	// MaxGrantsPerKey returns the largest number of grants on any one key of a project.
	MaxGrantsPerKey(ctx context.Context, projectID string) (int, error)
}

// Tx is a read-write transaction. Its reads see its own writes.
//
// A method that fails with a sentinel error has had no effect and the
// transaction remains usable (fn may handle ErrExists and go on); after any
// other error fn should return.
type Tx interface {
	Reader
	// LockProject serializes transactions that create keys, aliases or
	// grants in a project (quota and uniqueness checks). ErrNotFound if the
	// project does not exist.
	LockProject(ctx context.Context, projectID string) error
	// GetKeyForUpdate reads a key and locks it until the transaction ends.
	GetKeyForUpdate(ctx context.Context, id string) (domain.Key, error)

	CreateAccount(ctx context.Context, a domain.Account) error       // ErrExists on id or name
	CreateProject(ctx context.Context, p domain.Project) error       // ErrExists on id or (domain, name)
	CreateUser(ctx context.Context, u domain.User) error             // ErrExists on id or (domain, name)
	CreateCredential(ctx context.Context, c domain.Credential) error // ErrExists on access key
	// PutSetting stores a setting; if onlyIfAbsent and it exists, ErrExists.
	PutSetting(ctx context.Context, name string, value []byte, onlyIfAbsent bool) error
	// DeleteSetting removes a setting; removing an absent one is not an error.
	DeleteSetting(ctx context.Context, name string) error

	// LockLoginFailures reads and locks the failed-login record of a login
	// name until the transaction ends, first creating an empty one (no
	// failures, zero times) if there is none, so that concurrent failures
	// on any node are counted one after the other.
	LockLoginFailures(ctx context.Context, login string) (domain.LoginFailures, error)
	// PutLoginFailures stores a failed-login record, replacing any other
	// of the same login name.
	PutLoginFailures(ctx context.Context, f domain.LoginFailures) error
	// DeleteLoginFailures removes the record of a login name; removing an
	// absent one is not an error.
	DeleteLoginFailures(ctx context.Context, login string) error
	// DeleteExpiredLoginFailures removes every record whose ExpiresAt is
	// before now and returns how many it removed.
	DeleteExpiredLoginFailures(ctx context.Context, now time.Time) (int, error)

	// CreateKey inserts a key with Revision 1. ErrExists on id or on
	// (ProjectID, Alias).
	CreateKey(ctx context.Context, k domain.Key) error
	// UpdateKey stores k if the stored revision equals k.Revision, and sets
	// the stored revision to k.Revision+1. ErrNotFound, ErrConflict, or
	// ErrExists when the new Alias is taken in the project.
	UpdateKey(ctx context.Context, k domain.Key) error
	// DeleteKey removes a key with its versions, aliases, tags and grants.
	DeleteKey(ctx context.Context, id string) error

	CreateVersion(ctx context.Context, v domain.KeyVersion) error // ErrExists on (KeyID, Version)
	// DeleteVersions removes every version of a key (imported material deletion).
	DeleteVersions(ctx context.Context, keyID string) error

	CreateAlias(ctx context.Context, a domain.Alias) error         // ErrExists on (ProjectID, Name)
	UpdateAlias(ctx context.Context, a domain.Alias) error         // ErrNotFound
	DeleteAlias(ctx context.Context, projectID, name string) error // ErrNotFound

	// ReplaceTags sets a key's complete tag list.
	ReplaceTags(ctx context.Context, keyID string, tags []domain.Tag) error

	CreateGrant(ctx context.Context, g domain.Grant) error // ErrExists on id
	DeleteGrant(ctx context.Context, id string) error      // ErrNotFound
	CountGrants(ctx context.Context, keyID string) (int, error)

	// ReserveSeals adds n (at least 1) to the number of seals reserved
	// under version of the key material that counter names (the id of the
	// key that first had it) and returns the new total, so that the caller
	// owns the range [total-n, total). Totals only grow: nothing removes
	// them, not DeleteKey nor DeleteVersions (docs/ciphertext.md §3.1).
	ReserveSeals(ctx context.Context, counter string, version int, n int64) (int64, error)
}
