package api

import (
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/service"
	"github.com/kmsd/kmsd/internal/wire"
)

// Multi-region actions (management-api.md §11). The key of replicate-key
// and update-primary-region is the path's {key_id}, recorded for the audit
// even when it is invalid.

func (s *Server) listSupportRegions(c *call, req *wire.ListRegionsReq) (wire.RegionsResp, error) {
	rs, err := s.Service.ListRegions(c.ctx, c.caller)
	if err != nil {
		return wire.RegionsResp{}, err
	}
	out := []string{}
	if offset, limit := req.Window(); limit > 0 && offset < len(rs) {
		out = rs[offset:min(len(rs), offset+limit)]
	}
	return wire.RegionsResp{Regions: out}, nil
}

func (s *Server) replicateKey(c *call, req *wire.ReplicateReq) (wire.ReplicateResp, error) {
	tags := req.DomainTags()
	if n := s.Service.Limits().TagsPerKey; len(tags) > n {
		return wire.ReplicateResp{}, kmserr.TooManyTags.Msgf("A key has at most %d tags.", n)
	}
	k, err := s.Service.ReplicateKey(c.ctx, c.caller, service.ReplicaInput{
		KeyID: req.KeyID, Region: req.ReplicaRegion, ProjectID: req.ReplicaProjectID,
		Alias: req.KeyAlias, Description: req.KeyDescription,
		EnterpriseProjectID: req.EnterpriseProjectID, Tags: tags, Allows: c.identity.AllowsProject,
	})
	if err != nil {
		return wire.ReplicateResp{}, err
	}
	return wire.ReplicateResp{DomainID: k.DomainID, KeyID: k.ID, Region: req.ReplicaRegion}, nil
}

func (s *Server) updatePrimaryRegion(c *call, req *wire.PrimaryRegionReq) (wire.PrimaryRegionResp, error) {
	if _, err := s.Service.UpdatePrimaryRegion(c.ctx, c.caller, req.PathKeyID, req.PrimaryRegion); err != nil {
		return wire.PrimaryRegionResp{}, err
	}
	return wire.PrimaryRegionResp{KeyID: req.PathKeyID, PrimaryRegion: req.PrimaryRegion}, nil
}
