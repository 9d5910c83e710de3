package api

import (
	"context"
	"net/http"
	"time"

	"github.com/kmsd/kmsd/internal/kmserr"
)

// API version discovery (management-api.md §9.3-§9.4) and a health check.
// None of these need authentication.

type apiLink struct {
	Href string `json:"href"`
	Rel  string `json:"rel"`
}

type apiVersion struct {
	ID         string    `json:"id"`
	Links      []apiLink `json:"links"`
	Version    string    `json:"version"`
	Status     string    `json:"status"`
	Updated    string    `json:"updated"`
	MinVersion string    `json:"min_version"`
}

var apiVersions = []struct{ id, status, updated string }{
	{"v1.0", "CURRENT", "2016-10-29T02:00:00Z"},
}

func versionOf(r *http.Request, id, status, updated string) apiVersion {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	href := scheme + "://" + r.Host + "/" + id + "/"
	return apiVersion{ID: id, Links: []apiLink{{Href: href, Rel: "self"}}, Status: status, Updated: updated}
}

func (s *Server) showVersions(c *call) (int, any, error) {
	vs := []apiVersion{}
	for _, v := range apiVersions {
		vs = append(vs, versionOf(c.r, v.id, v.status, v.updated))
	}
	return 200, map[string][]apiVersion{"versions": vs}, nil
}

func (s *Server) showVersion(c *call) (int, any, error) {
	id := c.r.PathValue("version_id")
	for _, v := range apiVersions {
		if v.id == id {
			return 200, map[string]apiVersion{"version": versionOf(c.r, v.id, v.status, v.updated)}, nil
		}
	}
	return 0, nil, kmserr.InvalidURL.Msgf("Unknown API version %q.", id)
}

// healthz answers 200 when the node can read its store within 2 s, else
// 503 KMS.0104, so a load balancer takes a node cut off from its database
// out of rotation.
func (s *Server) healthz(c *call) (int, any, error) {
	ctx, cancel := context.WithTimeout(c.ctx, 2*time.Second)
	defer cancel()
	if err := s.Service.Healthy(ctx); err != nil {
		return 0, nil, kmserr.Unavailable.Msgf("The store is not reachable.").Wrap(err)
	}
	return 200, map[string]string{"status": "ok"}, nil
}
