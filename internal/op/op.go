// Package op is the catalogue of kmsd's operations: one entry per operation
// of the API, with its Huawei action name, the SDK method (and CLI command)
// that calls it, where it is served, how it authenticates, the IAM action
// that authorizes it, and the facts about it that the rest of kmsd needs.
//
// Everything that has to know which operations exist derives from this
// table instead of spelling names again: the HTTP route table, audit
// records and metrics labels (Name), the operations a grant may list
// (Grantable), the replay guard's scope (Writes), IAM policy evaluation
// (IAMAction), the success status of each route (Status), the command line
// (SDK) and the generated documentation.
// The package has no dependencies inside kmsd; everything may import it.
package op

import (
	"net/http"
	"slices"
)

// Name is an operation's Huawei action name, as in its URL
// ("create-key"). It names the operation in audit records, metrics and
// grants.
type Name string

// Auth says how an operation authenticates.
type Auth uint8

const (
	// Public operations need no credential (API versions, health, token
	// issuing).
	Public Auth = iota
	// Identity operations need any valid AK/SK or token (IAM queries).
	Identity
	// Project operations need a credential allowed in the URL's
	// {project_id}.
	Project
)

// DefaultBodyLimit bounds request bodies: the largest legitimate KMS body
// (import-key-material with a 6144-character token and a wrapped RSA-4096
// key) is well under it.
const DefaultBodyLimit = 64 << 10

// Op describes one operation. Entries are values: callers get copies.
type Op struct {
	Name Name
	// SDK is the method of huaweicloud-sdk-go-v3's KmsClient (or IamClient
	// for the identity operations) that calls this operation, which is also
	// its command-line name; empty for kmsd's own operations (healthz, readyz).
	SDK    string
	Method string // HTTP method
	Path   string // http.ServeMux pattern, without the method
	Auth   Auth
	// IAMAction is the Huawei IAM action that authorizes the operation:
	// "kms:…" for every Project operation ("kms:cmk:create"), "iam:…" for
	// the IAM management operations ("iam:users:createUser"); empty for
	// Public operations and the identity queries any credential may make
	// (and for a user changing its own password).
	IAMAction string
	// Grantable: a grant may list the operation (management-api.md §6).
	Grantable bool
	// Writes: the operation creates, changes or deletes something. Reads
	// and the data plane do not.
	Writes bool
	// AuditFirst: the audit record must be durable before the response
	// is written (every write: a change nobody can trace must not be
	// acknowledged).
	AuditFirst bool
	// BodyLimit bounds the request body in bytes (DefaultBodyLimit if 0).
	BodyLimit int64
	// Status is the HTTP status of a successful response (200 if 0):
	// 201 or 204 where Huawei's API answers so.
	Status int
}

// Limit returns the operation's body limit.
func (o Op) Limit() int64 {
	if o.BodyLimit > 0 {
		return o.BodyLimit
	}
	return DefaultBodyLimit
}

// SuccessStatus returns the HTTP status of a successful response.
func (o Op) SuccessStatus() int {
	if o.Status != 0 {
		return o.Status
	}
	return http.StatusOK
}

// All returns every operation, in catalogue order.
func All() []Op { return slices.Clone(catalogue) }

// byName indexes the catalogue.
var byName = func() map[Name]Op {
	m := make(map[Name]Op, len(catalogue))
	for _, o := range catalogue {
		m[o.Name] = o
	}
	return m
}()

// Lookup returns the operation called n.
func Lookup(n Name) (Op, bool) {
	o, ok := byName[n]
	return o, ok
}

// GrantableNames lists the operations a grant may name, in catalogue order.
func GrantableNames() []string {
	var names []string
	for _, o := range catalogue {
		if o.Grantable {
			names = append(names, string(o.Name))
		}
	}
	return names
}
