package api

import (
	"net/http"
	"slices"
)

// authMode says how a route authenticates.
type authMode int

const (
	authNone     authMode = iota // public (API versions, token issuing)
	authIdentity                 // any valid AK/SK or token (IAM queries)
	authProject                  // valid credential allowed in the URL's {project_id}
)

// defaultBodyLimit bounds request bodies: the largest legitimate KMS body
// (import-key-material with a 6144-char token and a wrapped RSA-4096 key) is
// well under it.
const defaultBodyLimit = 64 << 10

// route is one entry of the API table.
type route struct {
	method string
	path   string // http.ServeMux pattern without the method
	name   string // the Huawei action, used in audit records and metrics
	auth   authMode
	limit  int64 // body limit; 0 = defaultBodyLimit
	// changesState: the action creates, changes or deletes something (the
	// replay guard's default scope). Reads and the data plane do not.
	changesState bool
	handle       func(*call) (status int, body any, err error)
}

// writes marks rt as an action that changes state.
func (rt route) writes() route {
	rt.changesState = true
	return rt
}

func (rt route) bodyLimit() int64 {
	if rt.limit > 0 {
		return rt.limit
	}
	return defaultBodyLimit
}

const kmsPrefix = "/v1.0/{project_id}/kms/"

// kms declares a KMS action under /v1.0/{project_id}/kms/.
func kms(method, action string, h func(*call) (int, any, error)) route {
	return route{method: method, path: kmsPrefix + action, name: action, auth: authProject, handle: h}
}

// routes is the API table: every path kmsd serves.
func (s *Server) routes() []route {
	post, get := http.MethodPost, http.MethodGet
	rs := []route{
		{method: get, path: "/{$}", name: "show-versions", handle: s.showVersions},
		{method: get, path: "/{version_id}", name: "show-version", handle: s.showVersion},
		{method: get, path: "/healthz", name: "healthz", handle: s.healthz},

		{method: post, path: "/v3/auth/tokens", name: "iam-create-token", handle: s.createToken},
		{method: get, path: "/v3/auth/tokens", name: "iam-validate-token", auth: authIdentity, handle: s.validateToken},
		{method: get, path: "/v3/projects", name: "iam-list-projects", auth: authIdentity, handle: s.listProjects},
		{method: get, path: "/v3/auth/projects", name: "iam-auth-projects", auth: authIdentity, handle: s.listProjects},
		{method: get, path: "/v3/auth/domains", name: "iam-auth-domains", auth: authIdentity, handle: s.listDomains},

		kms(post, "create-key", s.createKey).writes(),
		kms(post, "describe-key", s.describeKey),
		kms(post, "list-keys", s.listKeys),
		kms(post, "update-key-description", s.updateKeyDescription).writes(),
		kms(post, "update-key-alias", s.updateKeyAlias).writes(),
		kms(post, "enable-key", s.enableKey).writes(),
		kms(post, "disable-key", s.disableKey).writes(),
		kms(post, "schedule-key-deletion", s.scheduleKeyDeletion).writes(),
		kms(post, "cancel-key-deletion", s.cancelKeyDeletion).writes(),
		kms(get, "user-instances", s.userInstances),
		kms(get, "user-quotas", s.userQuotas),
	}
	return slices.Concat(rs, s.cryptoRoutes(), s.managementRoutes(), s.regionRoutes())
}
