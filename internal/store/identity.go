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
	// ListUsers returns an account's users ordered by name.
	ListUsers(ctx context.Context, domainID string) ([]domain.User, error)
	// ListCredentials returns a user's access keys ordered by creation
	// time, then access key.
	ListCredentials(ctx context.Context, userID string) ([]domain.Credential, error)

	GetGroup(ctx context.Context, id string) (domain.Group, error)
	// ListGroups returns an account's groups ordered by name.
	ListGroups(ctx context.Context, domainID string) ([]domain.Group, error)
	// ListGroupMembers returns the ids of a group's users, ordered.
	ListGroupMembers(ctx context.Context, groupID string) ([]string, error)
	// ListUserGroups returns the groups a user is a member of, by name.
	ListUserGroups(ctx context.Context, userID string) ([]domain.Group, error)

	GetPolicy(ctx context.Context, id string) (domain.Policy, error)
	// ListPolicies returns an account's custom policies by display name.
	ListPolicies(ctx context.Context, domainID string) ([]domain.Policy, error)
	// ListAssignments returns a group's assignments ordered by project
	// (the account-wide ones, project "", first), then role.
	ListAssignments(ctx context.Context, groupID string) ([]domain.Assignment, error)
	// GetLoginFailures returns the failed-login record of a login name;
	// ErrNotFound if there is none.
	GetLoginFailures(ctx context.Context, login string) (domain.LoginFailures, error)
}

// IdentityWriter creates, changes and deletes identities, groups, custom
// policies and assignments, and keeps failed-login records, inside a Tx.
// Every change to a user, an access key, a membership, a policy or an
// assignment is reported by Watch: ChangeCredential for access keys
// (including those a deleted user loses), ChangeUser for users, and
// ChangePermissions for memberships, groups, policies and assignments.
type IdentityWriter interface {
	CreateAccount(ctx context.Context, a domain.Account) error       // ErrExists on id or name
	CreateProject(ctx context.Context, p domain.Project) error       // ErrExists on id or (domain, name)
	CreateUser(ctx context.Context, u domain.User) error             // ErrExists on id or (domain, name)
	CreateCredential(ctx context.Context, c domain.Credential) error // ErrExists on access key

	// LockAccount locks an account's row until the transaction ends,
	// serializing the creations its quotas count (users, groups, custom
	// policies). ErrNotFound.
	LockAccount(ctx context.Context, id string) error
	// LockUser locks a user's row until the transaction ends, serializing
	// the changes to its access keys and memberships. ErrNotFound.
	LockUser(ctx context.Context, id string) error
	// LockGroup locks a group's row until the transaction ends. ErrNotFound.
	LockGroup(ctx context.Context, id string) error
	// UpdateUser stores a user's name, password hash, project list,
	// Disabled, Description and TokenEpoch. ErrNotFound; ErrExists when
	// the name is taken in the account.
	UpdateUser(ctx context.Context, u domain.User) error
	// DeleteUser removes a user with its access keys and group
	// memberships. ErrNotFound.
	DeleteUser(ctx context.Context, id string) error
	// UpdateCredential stores an access key's Inactive and Description.
	// ErrNotFound.
	UpdateCredential(ctx context.Context, c domain.Credential) error
	// DeleteCredential removes an access key. ErrNotFound.
	DeleteCredential(ctx context.Context, accessKey string) error

	CreateGroup(ctx context.Context, g domain.Group) error // ErrExists on id or (domain, name)
	// DeleteGroup removes a group with its memberships and assignments.
	// ErrNotFound.
	DeleteGroup(ctx context.Context, id string) error
	// AddGroupMember adds a user to a group; adding a member again is not
	// an error. ErrNotFound if the group or the user does not exist.
	AddGroupMember(ctx context.Context, groupID, userID string) error
	// RemoveGroupMember removes a user from a group. ErrNotFound if the
	// user is not a member.
	RemoveGroupMember(ctx context.Context, groupID, userID string) error

	CreatePolicy(ctx context.Context, p domain.Policy) error // ErrExists on id or (domain, display name)
	// DeletePolicy removes a custom policy and its assignments. ErrNotFound.
	DeletePolicy(ctx context.Context, id string) error
	// PutAssignment stores an assignment; storing it again is not an
	// error. ErrNotFound if the group does not exist.
	PutAssignment(ctx context.Context, a domain.Assignment) error
	// DeleteAssignment removes an assignment. ErrNotFound.
	DeleteAssignment(ctx context.Context, a domain.Assignment) error

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
