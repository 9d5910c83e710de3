package store

import (
	"context"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
)

// KeyFilter selects keys for ListKeys. Zero fields do not filter.
type KeyFilter struct {
	ProjectID string          // required
	State     domain.KeyState // "" = any
	Spec      domain.KeySpec  // "" = any
	// After, when its ID is set, starts the list after the key at that
	// position (keyset pagination: the cost of a page does not depend on
	// its depth). Offset then must be 0.
	After  KeyCursor
	Offset int // rows to skip (costs O(Offset)); old clients' numeric markers
	Limit  int // 0 = no limit
}

// KeyCursor is a position in a project's key list, which is ordered by
// (CreatedAt, ID): the key with these values, whether or not it still exists.
type KeyCursor struct {
	CreatedAt time.Time
	ID        string
}

// TagFilter selects keys for ListKeysByTags: a project's non-default keys
// carrying every tag of Tags (with one of its Values; any value when Values
// is empty) whose key_alias contains NameContains, ASCII case-insensitive
// ("" = any), ordered by (CreatedAt, ID).
type TagFilter struct {
	ProjectID    string // required
	Tags         []TagMatch
	NameContains string
	Offset       int
	Limit        int // 0 = no limit
}

// TagMatch is one tag condition of a TagFilter.
type TagMatch struct {
	Key    string
	Values []string
}

// Page selects a window of an ordered list.
type Page struct {
	Offset int
	Limit  int // 0 = no limit
}

// KeyReader reads keys and what belongs to them: versions, aliases, tags
// and grants.
type KeyReader interface {
	// GetKey returns a key by id, whatever its project.
	GetKey(ctx context.Context, id string) (domain.Key, error)
	// GetKeyByAlias returns the key of a project whose key_alias is alias.
	GetKeyByAlias(ctx context.Context, projectID, alias string) (domain.Key, error)
	// ListKeys returns the keys matching f ordered by (CreatedAt, ID), and
	// the total number of matches ignoring After, Offset and Limit. The
	// total comes from counts maintained with every write: it costs the same
	// whatever the number of keys.
	ListKeys(ctx context.Context, f KeyFilter) ([]domain.Key, int, error)
	// CountKeys counts a project's non-default keys in every state, from
	// the maintained counts.
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
	// ListKeysByTags returns the keys matching f and the total number of
	// matches ignoring Offset and Limit. Without conditions the total comes
	// from the maintained counts; a tag condition is looked up in an index
	// of (tag key, value).
	ListKeysByTags(ctx context.Context, f TagFilter) ([]domain.Key, int, error)
	// ListTagsOf returns the tags of the given keys, by key id, each key's
	// ordered by tag key; keys without tags are absent.
	ListTagsOf(ctx context.Context, keyIDs []string) (map[string][]domain.Tag, error)
	// ListProjectTagValues returns each distinct (tag key, value) carried
	// by a key of a project, ordered by key then value, from counts
	// maintained with every write: its cost does not grow with the number
	// of keys.
	ListProjectTagValues(ctx context.Context, projectID string) ([]domain.Tag, error)

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

// KeyWriter writes keys and what belongs to them, inside a Tx, and takes
// the locks that serialize those writes.
type KeyWriter interface {
	// LockProject serializes transactions that create keys, aliases,
	// grants or keystores in a project (quota and uniqueness checks, list
	// order). ErrNotFound if the
	// project does not exist.
	LockProject(ctx context.Context, projectID string) error
	// GetKeyForUpdate reads a key and locks it until the transaction ends.
	GetKeyForUpdate(ctx context.Context, id string) (domain.Key, error)

	// CreateKey inserts a key with Revision 1. ErrExists on id or on
	// (ProjectID, Alias).
	CreateKey(ctx context.Context, k domain.Key) error
	// UpdateKey stores k if the stored revision equals k.Revision, and sets
	// the stored revision to k.Revision+1. ErrNotFound, ErrConflict, or
	// ErrExists when the new Alias is taken in the project.
	UpdateKey(ctx context.Context, k domain.Key) error
	// DeleteKey removes a key with its versions, aliases, tags, grants and
	// the replica links it is either end of; not its material group nor
	// its seal reservations.
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
