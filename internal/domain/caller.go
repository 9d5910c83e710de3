package domain

// Caller is an authenticated principal acting in a project: the user and
// account behind an AK/SK signature or token, and the project named in the
// request URL (already checked to be one the credential may use).
type Caller struct {
	UserID    string
	DomainID  string
	ProjectID string
	Region    string // the project's name
}
