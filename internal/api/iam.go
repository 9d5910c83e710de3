package api

import (
	"errors"
	"time"

	"github.com/kmsd/kmsd/internal/auth"
	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/iam"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/limit"
	"github.com/kmsd/kmsd/internal/wire"
)

// The minimal IAM (Keystone v3) surface clients call by themselves:
// password tokens and project/domain discovery (auth-and-clients.md §3-§4).
// The responses are Keystone's nested objects, built as maps; the queries
// read their few header and query parameters themselves.

// createToken answers a password login with a token in the X-Subject-Token
// header and its claims in the body.
func (s *Server) createToken(c *call, req *wire.TokenReq) (map[string]any, error) {
	u := req.Auth.Identity.Password.User
	user, acct, err := s.IAM.Login(c.ctx, u.Domain.Name, u.Domain.ID, u.Name, u.Password)
	if err != nil {
		return nil, loginError(err)
	}
	claims, err := s.scopeClaims(c, req, user, acct)
	if err != nil {
		return nil, err
	}
	c.event.UserID = user.ID
	c.w.Header().Set("X-Subject-Token", s.Tokens.Mint(claims))
	return s.tokenResp(c, claims)
}

// tokenResp is the body of a token: its claims and the roles the user
// holds in its scope now.
func (s *Server) tokenResp(c *call, cl auth.Claims) (map[string]any, error) {
	rs, admin, err := s.IAM.UserRoles(c.ctx, cl.UserID, cl.ProjectID)
	if err != nil {
		return nil, err
	}
	roles := []map[string]string{}
	if admin {
		roles = append(roles, map[string]string{"id": "0", "name": "te_admin"})
	}
	for _, r := range rs {
		roles = append(roles, map[string]string{"id": r.ID, "name": r.Name})
	}
	t := tokenBody(cl)
	t["roles"] = roles
	return map[string]any{"token": t}, nil
}

// loginError answers a failed password login: a wrong or unknown user,
// account or password is one 401, a locked login Huawei IAM's 401 "The
// account is locked.", a full gate for expensive operations 429 APIGW.0308.
func loginError(err error) error {
	switch {
	case errors.Is(err, iam.ErrUnknown):
		return kmserr.Unauthenticated.Msgf("The username or password is wrong.")
	case errors.Is(err, iam.ErrLocked):
		return kmserr.AccountLocked
	case errors.Is(err, iam.ErrDisabled):
		return kmserr.Unauthenticated.Msgf("The user is disabled.")
	case errors.Is(err, limit.ErrBusy):
		return kmserr.Throttled
	}
	return err
}

// scopeClaims resolves the requested scope: a project (by id or name =
// region) of the user's account that the user may use, or the account
// itself (the user's project list still binds such a token).
func (s *Server) scopeClaims(c *call, req *wire.TokenReq, u domain.User, a domain.Account) (auth.Claims, error) {
	now := s.Clock()
	cl := auth.Claims{UserID: u.ID, UserName: u.Name, DomainID: a.ID, DomainName: a.Name, Epoch: u.TokenEpoch,
		IssuedAt: now.Unix(), ExpiresAt: now.Add(s.TokenTTL).Unix()}
	sp := req.Auth.Scope.Project
	if sp == nil {
		return cl, nil
	}
	ps, err := s.IAM.Projects(c.ctx, a.ID, sp.Name)
	if err != nil {
		return cl, err
	}
	for _, p := range ps {
		if sp.ID != "" && p.ID != sp.ID {
			continue
		}
		if !u.AllowsProject(p) {
			return cl, kmserr.Unauthenticated.Msgf("The user has no access to the scope project.")
		}
		cl.ProjectID, cl.ProjectName = p.ID, p.Name
		return cl, nil
	}
	return cl, kmserr.Unauthenticated.Msgf("The scope project does not exist in the user's account.")
}

func tokenBody(cl auth.Claims) map[string]any {
	dom := map[string]string{"id": cl.DomainID, "name": cl.DomainName}
	t := map[string]any{
		"methods":    []string{"password"},
		"issued_at":  time.Unix(cl.IssuedAt, 0).UTC().Format("2006-01-02T15:04:05.000000Z"),
		"expires_at": time.Unix(cl.ExpiresAt, 0).UTC().Format("2006-01-02T15:04:05.000000Z"),
		"user":       map[string]any{"id": cl.UserID, "name": cl.UserName, "domain": dom, "password_expires_at": ""},
		"catalog":    []any{},
	}
	if cl.ProjectID != "" {
		t["project"] = map[string]any{"id": cl.ProjectID, "name": cl.ProjectName, "domain": dom}
	} else {
		t["domain"] = dom
	}
	return t
}

// validateToken answers GET /v3/auth/tokens: the X-Subject-Token's claims,
// unless it expired or was revoked (its user disabled, deleted, or its
// password changed since).
func (s *Server) validateToken(c *call) (map[string]any, error) {
	sub := c.r.Header.Get("X-Subject-Token")
	cl, err := s.Tokens.Verify(sub, s.Clock())
	if err != nil {
		return nil, kmserr.Unauthenticated.Msgf("The subject token is invalid or expired.")
	}
	if u, err := s.IAM.User(c.ctx, cl.UserID); err != nil || u.Disabled || u.TokenEpoch != cl.Epoch {
		return nil, kmserr.Unauthenticated.Msgf("The subject token has been revoked.")
	}
	c.w.Header().Set("X-Subject-Token", sub)
	return s.tokenResp(c, cl)
}

type projectDTO struct {
	ID          string            `json:"id"`
	Name        string            `json:"name"`
	DomainID    string            `json:"domain_id"`
	Enabled     bool              `json:"enabled"`
	IsDomain    bool              `json:"is_domain"`
	ParentID    string            `json:"parent_id"`
	Description string            `json:"description"`
	Links       map[string]string `json:"links"`
}

// listProjects answers GET /v3/projects?name=<region> (what the SDK calls to
// discover a project id) and GET /v3/auth/projects: the caller's account's
// projects it may use.
func (s *Server) listProjects(c *call) (map[string]any, error) {
	q := c.r.URL.Query()
	if d := q.Get("domain_id"); d != "" && d != c.identity.DomainID {
		return map[string]any{"projects": []projectDTO{}, "links": map[string]string{}}, nil
	}
	ps, err := s.IAM.Projects(c.ctx, c.identity.DomainID, q.Get("name"))
	if err != nil {
		return nil, err
	}
	out := []projectDTO{}
	for _, p := range ps {
		if c.identity.AllowsProject(p) {
			out = append(out, projectDTO{ID: p.ID, Name: p.Name, DomainID: p.DomainID, Enabled: true,
				ParentID: p.DomainID, Links: map[string]string{"self": "/v3/projects/" + p.ID}})
		}
	}
	return map[string]any{"projects": out, "links": map[string]string{"self": c.r.URL.Path}}, nil
}

// listDomains answers GET /v3/auth/domains with the caller's account.
func (s *Server) listDomains(c *call) (map[string]any, error) {
	a, err := s.IAM.Account(c.ctx, c.identity.DomainID)
	if err != nil {
		return nil, err
	}
	d := map[string]any{"id": a.ID, "name": a.Name, "enabled": true, "description": "",
		"links": map[string]string{"self": "/v3/domains/" + a.ID}}
	return map[string]any{"domains": []any{d}, "links": map[string]string{"self": c.r.URL.Path}}, nil
}
