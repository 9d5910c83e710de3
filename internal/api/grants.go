package api

import (
	"github.com/kmsd/kmsd/internal/service"
	"github.com/kmsd/kmsd/internal/wire"
)

// Grant actions (management-api.md §6).

func (s *Server) createGrant(c *call, req *wire.CreateGrantReq) (wire.CreateGrantResp, error) {
	id, err := s.Service.CreateGrant(c.ctx, c.caller, service.NewGrant{
		KeyRef: req.KeyID, Grantee: req.GranteePrincipal, GranteeType: req.GranteePrincipalType,
		Operations: req.Operations, Name: deref(req.Name), RetiringPrincipal: deref(req.RetiringPrincipal),
	})
	return wire.CreateGrantResp{GrantID: id}, err
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func (s *Server) revokeGrant(c *call, req *wire.GrantReq) (wire.Empty, error) {
	return wire.Empty{}, s.Service.RevokeGrant(c.ctx, c.caller, req.KeyID, req.GrantID)
}

func (s *Server) retireGrant(c *call, req *wire.GrantReq) (wire.Empty, error) {
	return wire.Empty{}, s.Service.RetireGrant(c.ctx, c.caller, req.KeyID, req.GrantID)
}
