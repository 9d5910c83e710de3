package domain

import (
	"slices"
	"time"
)

// Account is a Huawei "domain": the tenant that owns projects, users and keys.
// (Named Account to avoid clashing with this package's name.)
type Account struct {
	ID        string // 32 lowercase hex
	Name      string
	CreatedAt time.Time
}

// Project is a region-scoped container of keys inside an account. Its Name is
// the region id (e.g. "local-1"), as in Huawei IAM.
type Project struct {
	ID        string // 32 lowercase hex
	Name      string
	DomainID  string
	CreatedAt time.Time
}

// User is an IAM user of an account. Password is a PHC-style hash string,
// never the password itself.
type User struct {
	ID           string // 32 lowercase hex
	Name         string
	DomainID     string
	PasswordHash string
	// ProjectIDs are the projects the user may act in, with any credential
	// (access key or token); empty means every project of its account.
	ProjectIDs []string
	// Disabled users cannot sign requests nor get tokens.
	Disabled    bool
	Description string
	// TokenEpoch moves on when the password changes or the user is
	// disabled: tokens issued under an older epoch are refused.
	TokenEpoch int64
	CreatedAt  time.Time
}

// AllowsProject reports whether u may act in p: p belongs to u's account
// and to u's projects, if u has a list.
func (u User) AllowsProject(p Project) bool {
	return p.DomainID == u.DomainID && (len(u.ProjectIDs) == 0 || slices.Contains(u.ProjectIDs, p.ID))
}

// Credential is a permanent access key (AK/SK) of a user. The secret key is
// stored only wrapped under the root key (AAD binds the access key).
type Credential struct {
	AccessKey  string
	WrappedSK  []byte
	RootKeyID  string
	UserID     string
	DomainID   string
	ProjectIDs []string // projects the credential may use, within its user's; empty = every one its user may
	// Inactive access keys authenticate nothing (Huawei's status "inactive").
	Inactive    bool
	Description string
	CreatedAt   time.Time
}

// Status is the credential's status in Huawei's words: "active" or
// "inactive".
func (c Credential) Status() string {
	if c.Inactive {
		return "inactive"
	}
	return "active"
}

// Group is an IAM user group of an account. The group named AdminGroup
// may do everything in its account.
type Group struct {
	ID          string
	DomainID    string
	Name        string
	Description string
	CreatedAt   time.Time
}

// AdminGroup is the name of the group whose members administer their
// account, as on Huawei Cloud.
const AdminGroup = "admin"

// Policy is a custom IAM policy of an account: a policy document in
// Huawei's policy language (package iampolicy parses it).
type Policy struct {
	ID          string
	DomainID    string
	DisplayName string
	Type        string // "AX" (global service) or "XA" (project-level service)
	Description string
	Document    string // JSON
	CreatedAt   time.Time
}

// Assignment grants role or policy RoleID to group GroupID on project
// ProjectID, or on the whole account when ProjectID is empty.
type Assignment struct {
	GroupID   string
	RoleID    string
	ProjectID string
}

// LoginFailures counts the wrong passwords of one login name for the
// password lockout policy. Login names a user of an account, whether or not
// the user exists, so that the record does not tell which users exist.
type LoginFailures struct {
	Login       string
	Failures    int       // wrong passwords counted since WindowStart
	WindowStart time.Time // the first counted failure; zero when none
	LockedUntil time.Time // password logins are refused before it; zero when not locked
	ExpiresAt   time.Time // after it the record changes nothing and may be deleted
}
