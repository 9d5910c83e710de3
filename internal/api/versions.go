package api

import (
	"context"
	"net/http"
	"time"

	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/wire"
)

// API version discovery (management-api.md §9.3-§9.4) and a health check.
// None of these need authentication.

var apiVersions = []struct{ id, status, updated string }{
	{"v1.0", "CURRENT", "2016-10-29T02:00:00Z"},
}

func versionOf(r *http.Request, id, status, updated string) wire.APIVersion {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	href := scheme + "://" + r.Host + "/" + id + "/"
	return wire.APIVersion{ID: id, Links: []wire.Link{{Href: href, Rel: "self"}}, Status: status, Updated: updated}
}

func (s *Server) showVersions(c *call) (wire.VersionsResp, error) {
	vs := []wire.APIVersion{}
	for _, v := range apiVersions {
		vs = append(vs, versionOf(c.r, v.id, v.status, v.updated))
	}
	return wire.VersionsResp{Versions: vs}, nil
}

// showVersion reads {version_id} itself: a public discovery call, not worth
// a request type.
func (s *Server) showVersion(c *call) (wire.VersionResp, error) {
	id := c.r.PathValue("version_id")
	for _, v := range apiVersions {
		if v.id == id {
			return wire.VersionResp{Version: versionOf(c.r, v.id, v.status, v.updated)}, nil
		}
	}
	return wire.VersionResp{}, kmserr.InvalidURL.Msgf("Unknown API version %q.", id)
}

// healthz is the liveness probe: it answers 200 while the process serves
// HTTP at all, whatever its store, root key or audit trail, so that an
// orchestrator restarts only a node that has stopped answering.
func (s *Server) healthz(*call) (wire.HealthResp, error) {
	return wire.HealthResp{Status: "ok"}, nil
}

// readyz is the readiness probe: 200 when the node can serve requests (its
// store is reachable within 2 s, its root key wraps and unwraps, every
// migration is applied, its audit trail is being written: Deps.Ready),
// else 503 KMS.0104 with the check that failed, so that a load balancer
// takes the node out of rotation.
func (s *Server) readyz(c *call) (wire.HealthResp, error) {
	ctx, cancel := context.WithTimeout(c.ctx, 2*time.Second)
	defer cancel()
	if err := s.Service.Healthy(ctx); err != nil {
		return wire.HealthResp{}, kmserr.Unavailable.Msgf("The store is not reachable.").Wrap(err)
	}
	if s.Ready != nil {
		if err := s.Ready(ctx); err != nil {
			return wire.HealthResp{}, kmserr.Unavailable.Msgf("Not ready: %v.", err)
		}
	}
	return wire.HealthResp{Status: "ok"}, nil
}
