package api

import (
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/service"
	"github.com/kmsd/kmsd/internal/wire"
)

// Alias actions (management-api.md §4).

func toAliasEntity(a domain.Alias, region string) wire.AliasEntity {
	return wire.AliasEntity{DomainID: a.DomainID, KeyID: a.KeyID, Alias: a.Name, AliasURN: service.AliasURN(region, a),
		CreateTime: isoTime(a.CreatedAt), UpdateTime: isoTime(a.UpdatedAt)}
}

// isoTime renders t as ISO-8601 UTC with second precision ("2024-04-01T00:00:00Z").
func isoTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func (s *Server) createAlias(c *call, req *wire.CreateAliasReq) (wire.AliasEntity, error) {
	a, err := s.Service.CreateAlias(c.ctx, c.caller, req.KeyID, req.Alias)
	if err != nil {
		return wire.AliasEntity{}, err
	}
	return toAliasEntity(a, c.caller.Region), nil
}

func (s *Server) deleteAlias(c *call, req *wire.DeleteAliasReq) (wire.Empty, error) {
	return wire.Empty{}, s.Service.DeleteAliases(c.ctx, c.caller, req.KeyID, req.Aliases)
}

func (s *Server) associateAlias(c *call, req *wire.AssociateAliasReq) (wire.AliasEntity, error) {
	a, err := s.Service.AssociateAlias(c.ctx, c.caller, req.Alias, req.TargetKeyID)
	if err != nil {
		return wire.AliasEntity{}, err
	}
	return toAliasEntity(a, c.caller.Region), nil
}

// listAliases answers an AliasPage, or by default (the SDK's shape) an
// array holding it.
func (s *Server) listAliases(c *call, req *wire.ListAliasesReq) (any, error) {
	as, next, err := s.Service.ListAliases(c.ctx, c.caller, req.KeyID, req.PageSize(), req.Marker)
	if err != nil {
		return nil, err
	}
	page := wire.AliasPage{Aliases: make([]wire.AliasEntity, 0, len(as)), PageInfo: wire.PageInfo{NextMarker: next, CurrentCount: len(as)}}
	for _, a := range as {
		page.Aliases = append(page.Aliases, toAliasEntity(a, c.caller.Region))
	}
	if req.ObjectForm() {
		return page, nil
	}
	return []wire.AliasPage{page}, nil
}
