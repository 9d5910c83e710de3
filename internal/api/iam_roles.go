package api

import (
	"strconv"

	"github.com/kmsd/kmsd/internal/iam"
	"github.com/kmsd/kmsd/internal/iampolicy"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/wire"
)

// Permissions: KeystoneListPermissions, CreateCloudServiceCustomPolicy, and
// the grant, revoke, check and list calls on a project or the account.

type roleDTO struct {
	ID          string             `json:"id"`
	Name        string             `json:"name"`
	DisplayName string             `json:"display_name"`
	Type        string             `json:"type"`
	Catalog     string             `json:"catalog"`
	Description string             `json:"description"`
	DomainID    *string            `json:"domain_id"`
	Flag        string             `json:"flag"`
	Policy      iampolicy.Document `json:"policy"`
	Links       links              `json:"links"`
	CreatedTime string             `json:"created_time,omitempty"`
}

func toRole(r iam.Role) roleDTO {
	d := roleDTO{ID: r.ID, Name: r.Name, DisplayName: r.DisplayName, Type: r.Type, Catalog: r.Catalog,
		Description: r.Description, Flag: "fine_grained", Policy: r.Document, Links: links{Self: "/v3/roles/" + r.ID}}
	if r.Custom() {
		d.DomainID = &r.DomainID
		d.CreatedTime = strconv.FormatInt(r.CreatedAt.UnixMilli(), 10)
	}
	return d
}

func (s *Server) listPermissions(c *call) (map[string]any, error) {
	if err := s.authorizeIAM(c, false); err != nil {
		return nil, err
	}
	q := c.r.URL.Query()
	rs, err := s.IAM.Roles(c.ctx, c.identity.DomainID)
	if err != nil {
		return nil, err
	}
	out := []roleDTO{}
	for _, r := range rs {
		if !matches(q.Get("name"), r.Name) || !matches(q.Get("display_name"), r.DisplayName) ||
			!matches(q.Get("catalog"), r.Catalog) || !matches(q.Get("type"), r.Type) ||
			q.Get("permission_type") == "custom" && !r.Custom() {
			continue
		}
		out = append(out, toRole(r))
	}
	return map[string]any{"roles": out, "links": links{Self: c.r.URL.Path}, "total_number": len(out)}, nil
}

func matches(want, v string) bool { return want == "" || want == v }

func (s *Server) createCustomPolicy(c *call, req *wire.CustomPolicyReq) (map[string]any, error) {
	if err := s.authorizeIAM(c, false); err != nil {
		return nil, err
	}
	r := req.Role
	role, err := s.IAM.CreateCustomPolicy(c.ctx, c.identity.DomainID, r.DisplayName, r.Type, r.Description, r.Policy)
	if err != nil {
		return nil, err
	}
	return map[string]any{"role": toRole(role)}, nil
}

// scope reads the grant's scope from the URL: {project_id} or {domain_id},
// which must be the caller's account.
func (s *Server) scope(c *call) (iam.Scope, error) {
	sc := iam.Scope{DomainID: c.identity.DomainID, Project: c.r.PathValue("project_id")}
	if d := c.r.PathValue("domain_id"); sc.Project == "" && d != c.identity.DomainID {
		return sc, kmserr.IAMForbidden.Msgf("The domain is not the caller's account.")
	}
	return sc, nil
}

func (s *Server) grantRole(c *call) (wire.Empty, error) {
	sc, err := s.authorizedScope(c)
	if err != nil {
		return wire.Empty{}, err
	}
	return wire.Empty{}, s.IAM.Grant(c.ctx, sc, c.r.PathValue("group_id"), c.r.PathValue("role_id"))
}

func (s *Server) revokeRole(c *call) (wire.Empty, error) {
	sc, err := s.authorizedScope(c)
	if err != nil {
		return wire.Empty{}, err
	}
	return wire.Empty{}, s.IAM.Revoke(c.ctx, sc, c.r.PathValue("group_id"), c.r.PathValue("role_id"))
}

// checkRole answers 204 when the group has the role on the scope, else 404.
func (s *Server) checkRole(c *call) (wire.Empty, error) {
	sc, err := s.authorizedScope(c)
	if err != nil {
		return wire.Empty{}, err
	}
	ok, err := s.IAM.HasGrant(c.ctx, sc, c.r.PathValue("group_id"), c.r.PathValue("role_id"))
	if err == nil && !ok {
		err = kmserr.IAMNotFound.Msgf("The group does not have this permission on the scope.")
	}
	return wire.Empty{}, err
}

func (s *Server) listGroupRoles(c *call) (map[string]any, error) {
	sc, err := s.authorizedScope(c)
	if err != nil {
		return nil, err
	}
	rs, err := s.IAM.GroupRoles(c.ctx, sc, c.r.PathValue("group_id"))
	if err != nil {
		return nil, err
	}
	out := []roleDTO{}
	for _, r := range rs {
		out = append(out, toRole(r))
	}
	return map[string]any{"roles": out, "links": links{Self: c.r.URL.Path}}, nil
}

func (s *Server) authorizedScope(c *call) (iam.Scope, error) {
	if err := s.authorizeIAM(c, false); err != nil {
		return iam.Scope{}, err
	}
	return s.scope(c)
}
