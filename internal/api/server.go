// Package api is kmsd's HTTP layer: the Huawei Cloud KMS wire protocol
// (paths, strict JSON decoding, error bodies) plus the small IAM surface
// clients call on their own. Every operation of the catalogue (internal/op)
// is bound to its handler in one table (routes.go); every request goes
// through one pipeline (pipeline.go) that assigns a request id, bounds and
// reads the body, authenticates, runs the handler, renders the result or
// the error, records the outcome in the audit sink and writes the response:
// the record comes first for the operations the catalogue marks AuditFirst
// (every write), last for the others.
//
// Handlers live in one file per family of actions. Each is a typed
// function from an internal/wire request to a wire response that calls the
// service; the adapters of bind.go decode and validate the request, record
// the key for the audit and answer the operation's status. Handlers hold no
// business rules.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/kmsd/kmsd/internal/audit"
	"github.com/kmsd/kmsd/internal/auth"
	"github.com/kmsd/kmsd/internal/authz"
	"github.com/kmsd/kmsd/internal/iam"
	"github.com/kmsd/kmsd/internal/service"
)

// Deps are the collaborators of the HTTP layer.
type Deps struct {
	Service *service.Service
	IAM     *iam.Service
	Auth    *auth.Authenticator
	Tokens  *auth.Tokens
	Audit   audit.Sink    // records every request; may be nil
	Authz   authz.Decider // the action-level decision; default authz.Default()
	Metrics http.Handler  // served at /metrics when non-nil
	// AuditEvery records every request durably before its response, not
	// only the AuditFirst operations (a durable audit trail).
	AuditEvery bool
	// AuditSyncEvery asks for every durable record to be synced (a file's
	// fsync), not only those of the AuditFirst operations, which always
	// are; the others are then handed to the operating system before the
	// response, which keeps them through a crash of kmsd.
	AuditSyncEvery bool
	// Ready checks, for GET /readyz, what else than the store the node
	// needs to serve (root key, migrations, audit trail); may be nil.
	Ready  func(context.Context) error
	Clock  func() time.Time
	Logger *slog.Logger
	// Strict refuses request bodies with fields the operation does not
	// define (KMS.0214); otherwise they are ignored, as Huawei's service
	// ignores them.
	Strict bool
	// TokenTTL is how long issued IAM tokens are valid; default
	// auth.TokenTTL (Huawei IAM's 24 hours).
	TokenTTL time.Duration
}

// Server is the HTTP handler of kmsd.
type Server struct {
	Deps
	mux *http.ServeMux
}

// New returns the handler serving every route of the table.
func New(d Deps) *Server {
	if d.Clock == nil {
		d.Clock = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.TokenTTL <= 0 {
		d.TokenTTL = auth.TokenTTL
	}
	if d.Authz == nil {
		d.Authz = authz.Default()
	}
	if d.Audit == nil {
		d.Audit = audit.Multi{}
	}
	s := &Server{Deps: d, mux: http.NewServeMux()}
	s.register(s.routes())
	if d.Metrics != nil {
		s.mux.Handle("GET /metrics", d.Metrics)
	}
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// register groups routes by path so that a known path with a wrong method
// answers 405 KMS.0215 (with an Allow header) rather than the mux's plain
// text, and installs the KMS.0201 fallback for unknown paths.
func (s *Server) register(rs []route) {
	byPath := map[string]map[string]route{}
	var order []string
	for _, rt := range rs {
		if byPath[rt.Path] == nil {
			byPath[rt.Path] = map[string]route{}
			order = append(order, rt.Path)
		}
		byPath[rt.Path][rt.Method] = rt
	}
	for _, p := range order {
		s.mux.Handle(p, s.dispatch(byPath[p]))
	}
	s.mux.Handle("/", s.pipeline(route{handle: unknownPath}))
}

func unknownPath(c *call) (int, any, error) {
	return 0, nil, errInvalidURL(c.r.URL.Path)
}
