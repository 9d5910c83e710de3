package api

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"net/http"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/kmsd/kmsd/internal/audit"
	"github.com/kmsd/kmsd/internal/auth"
	"github.com/kmsd/kmsd/internal/authz"
	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/op"
)

// call is one request in flight, as handlers see it.
type call struct {
	ctx      context.Context
	w        http.ResponseWriter
	r        *http.Request
	body     []byte
	identity auth.Identity
	caller   domain.Caller // set for op.Project routes
	event    *audit.Event  // &ev
	ev       audit.Event
	params   [192]byte // backs event.Params: no allocation for the usual few parameters
	strict   bool      // refuse unknown body fields (Deps.Strict)
	// requestID backs the X-Request-Id header value, saving an allocation.
	requestID [1]string
}

// sourceIP is the host of a RemoteAddr ("host:port", "[v6]:port").
func sourceIP(addr string) string {
	if i := strings.LastIndexByte(addr, ':'); i >= 0 {
		addr = addr[:i]
	}
	return strings.TrimSuffix(strings.TrimPrefix(addr, "["), "]")
}

// setKey records the key a handler acted on, for the audit event.
func (c *call) setKey(id string) { c.event.KeyID = id }

// dispatch selects the route for the request method.
func (s *Server) dispatch(methods map[string]route) http.Handler {
	handlers := map[string]http.Handler{}
	allow := make([]string, 0, len(methods))
	for m, rt := range methods {
		handlers[m] = s.pipeline(rt)
		allow = append(allow, m)
	}
	sort.Strings(allow)
	notAllowed := s.pipeline(route{Op: op.Op{Name: "method-not-allowed"}, handle: func(c *call) (int, any, error) {
		c.w.Header().Set("Allow", strings.Join(allow, ", "))
		return 0, nil, kmserr.MethodNotAllowed.Msgf("Method %s is not supported here; use %s.", c.r.Method, strings.Join(allow, " or "))
	}})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h, ok := handlers[r.Method]; ok {
			h.ServeHTTP(w, r)
			return
		}
		notAllowed.ServeHTTP(w, r)
	})
}

// pipeline wraps a route: request id, panic recovery, bounded body read,
// authentication, the handler, rendering, the audit record and the
// response. An operation the catalogue marks AuditFirst, and every
// operation when Deps.AuditEvery is set, is recorded durably before its
// response is written, and answered with errAuditFailed instead when that
// record fails (recordFirst); every other request is recorded after its
// response, off the latency path of the data plane.
func (s *Server) pipeline(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := s.Clock()
		c := &call{ctx: r.Context(), w: w, r: r, strict: s.Strict}
		ev := &c.ev
		*ev = audit.Event{RequestID: newRequestID(), Time: start, Method: r.Method, Path: r.URL.Path,
			Action: string(rt.Name), SourceIP: sourceIP(r.RemoteAddr)}
		c.event = ev
		c.requestID[0] = ev.RequestID
		w.Header()["X-Request-Id"] = c.requestID[:]
		status, body, err := s.run(c, rt)
		rp := s.render(ev, status, body, err)
		if rt.AuditFirst || s.AuditEvery && !isProbe(rt.Name) {
			err := s.recordFirst(c.ctx, *ev, start, rt.AuditFirst || s.AuditSyncEvery)
			if err == nil {
				rp.write(w)
				return
			}
			rp = s.renderError(ev, errAuditFailed.Wrap(err))
		}
		rp.write(w)
		ev.Duration = time.Since(start)
		s.Audit.Record(c.ctx, *ev) // answered already: a failure changes nothing
	})
}

// isProbe reports whether name is a health probe: probes are recorded
// after their answer even with Deps.AuditEvery, so that a full disk makes
// /readyz say so rather than fail the liveness probe too.
func isProbe(name op.Name) bool { return name == op.Healthz || name == op.Readyz }

// errAuditFailed answers an AuditFirst operation whose audit record failed.
// The operation has run: its change may be in the store although the
// client is not told so, and the trail may lack it.
var errAuditFailed = kmserr.Unavailable.Msgf("The audit trail could not record this request, so it is not " +
	"acknowledged; it may have taken effect: read the state back before retrying.")

// auditWait bounds the durable record of an AuditFirst operation, for
// sinks that can be interrupted.
const auditWait = 5 * time.Second

// recordFirst records ev durably, before the response (synced when sync:
// the record of an operation that changes state, or audit.sync all). It runs also when the
// client has hung up (a change must not miss the trail because its client
// left), for at most auditWait.
func (s *Server) recordFirst(ctx context.Context, ev audit.Event, start time.Time, sync bool) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), auditWait)
	defer cancel()
	ev.Durable, ev.Sync = true, sync
	ev.Duration = time.Since(start)
	return s.Audit.Record(ctx, ev)
}

// run executes the route, converting a panic into an internal error so that
// a bug answers 500 KMS.0101 instead of dropping the connection.
func (s *Server) run(c *call, rt route) (status int, body any, err error) {
	defer func() {
		if p := recover(); p != nil {
			s.Logger.Error("panic in handler", "action", rt.Name, "panic", p, "request_id", c.event.RequestID)
			status, body, err = 0, nil, kmserr.Internal
		}
	}()
	if err := s.prepare(c, rt); err != nil {
		return 0, nil, err
	}
	return rt.handle(c)
}

// prepare reads the body and authenticates according to the route.
func (s *Server) prepare(c *call, rt route) error {
	if err := c.readBody(rt.Limit()); err != nil {
		return err
	}
	if rt.Auth == op.Public {
		return nil
	}
	c.event.AccessKey = auth.PresentedAccessKey(c.r)
	id, err := s.Auth.Authenticate(c.ctx, c.r, c.body)
	if err != nil {
		c.event.AuthFailure = string(auth.FailureOf(err))
		return err
	}
	c.identity = id
	c.event.UserID, c.event.DomainID = id.UserID, id.DomainID
	if err := s.Auth.AdmitOnce(id, rt.Writes); err != nil {
		return err
	}
	if rt.Auth != op.Project {
		return s.Auth.CheckIdentityScope(c.ctx, id)
	}
	c.event.ProjectID = c.r.PathValue("project_id")
	if c.caller, err = s.Auth.Caller(c.ctx, id, c.event.ProjectID); err != nil {
		return err
	}
	// The action-level decision (IAM policy); the service makes the
	// key-level one once it has resolved the key.
	return s.Authz.Decide(c.ctx, authz.Request{Caller: c.caller, Action: rt.Name})
}

// readBody reads at most limit bytes; a larger body answers KMS.0203.
func (c *call) readBody(limit int64) error {
	if c.r.Body == nil {
		return nil
	}
	// Size the buffer from Content-Length (every SDK sends it) so the body
	// is read into one allocation instead of a doubling series.
	var buf bytes.Buffer
	if n := c.r.ContentLength; n > 0 && n <= limit {
		buf.Grow(int(n) + bytes.MinRead)
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(c.w, c.r.Body, limit))
	b := buf.Bytes()
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return kmserr.BodyTooLong.Msgf("The request body exceeds %d bytes.", limit)
	}
	if err != nil {
		return kmserr.InvalidJSON.Msgf("The request body could not be read.").Wrap(err)
	}
	c.body = b
	return nil
}

// requestIDs makes request ids: a random per-process prefix and a counter,
// 32 hex characters in all. They are unique across nodes and restarts
// without a random read per request.
var requestIDs struct {
	prefix [8]byte
	n      atomic.Uint64
}

func init() { rand.Read(requestIDs.prefix[:]) }

func newRequestID() string {
	var b [16]byte
	copy(b[:8], requestIDs.prefix[:])
	binary.BigEndian.PutUint64(b[8:], requestIDs.n.Add(1))
	return hex.EncodeToString(b[:])
}
