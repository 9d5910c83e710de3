package store

import (
	"context"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
)

// IdentityReader reads accounts, projects, users, access keys and
// failed-login records.
type IdentityReader interface {
	GetAccount(ctx context.Context, id string) (domain.Account, error)
	GetAccountByName(ctx context.Context, name string) (domain.Account, error)
	GetProject(ctx context.Context, id string) (domain.Project, error)
	// ListProjects returns projects ordered by name then id; domainID and
	// name filter when non-empty.
	ListProjects(ctx context.Context, domainID, name string) ([]domain.Project, error)
	GetUser(ctx context.Context, id string) (domain.User, error)
	GetUserByName(ctx context.Context, domainID, name string) (domain.User, error)
	GetCredential(ctx context.Context, accessKey string) (domain.Credential, error)
	// GetLoginFailures returns the failed-login record of a login name;
	// ErrNotFound if there is none.
	GetLoginFailures(ctx context.Context, login string) (domain.LoginFailures, error)
}

// IdentityWriter creates identities and keeps failed-login records, inside
// a Tx.
type IdentityWriter interface {
	CreateAccount(ctx context.Context, a domain.Account) error       // ErrExists on id or name
	CreateProject(ctx context.Context, p domain.Project) error       // ErrExists on id or (domain, name)
	CreateUser(ctx context.Context, u domain.User) error             // ErrExists on id or (domain, name)
	CreateCredential(ctx context.Context, c domain.Credential) error // ErrExists on access key

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
}
