package api

import (
	"strconv"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
	"github.com/kmsd/kmsd/internal/wire"
)

// list-grants and list-retirable-grants (management-api.md §6.2, §6.5).

func toGrantsResp(gs []domain.Grant, p store.Page, total int) wire.GrantsResp {
	resp := wire.GrantsResp{Grants: make([]wire.Grant, 0, len(gs)), Truncated: "false", Total: total}
	for _, g := range gs {
		resp.Grants = append(resp.Grants, wire.Grant{KeyID: g.KeyID, GrantID: g.ID, GranteePrincipal: g.GranteePrincipal,
			GranteePrincipalType: g.GranteeType, Operations: g.Operations, IssuingPrincipal: g.IssuingPrincipal,
			CreationDate: millis(g.CreatedAt), Name: g.Name, RetiringPrincipal: g.RetiringPrincipal})
	}
	if end := p.Offset + len(gs); end < total {
		resp.Truncated, resp.NextMarker = "true", strconv.Itoa(end)
	}
	return resp
}

func (s *Server) listGrants(c *call, req *wire.ListGrantsReq) (wire.GrantsResp, error) {
	gs, total, err := s.Service.ListGrants(c.ctx, c.caller, req.KeyID, req.Page())
	if err != nil {
		return wire.GrantsResp{}, err
	}
	return toGrantsResp(gs, req.Page(), total), nil
}

func (s *Server) listRetirableGrants(c *call, req *wire.ListRetirableReq) (wire.GrantsResp, error) {
	gs, total, err := s.Service.ListRetirableGrants(c.ctx, c.caller, req.Page())
	if err != nil {
		return wire.GrantsResp{}, err
	}
	return toGrantsResp(gs, req.Page(), total), nil
}
