package api

import (
	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/service"
	"github.com/kmsd/kmsd/internal/wire"
)

// Key lifecycle actions: create-key, describe-key, list-keys (management-api.md §3.1-§3.3).

func (s *Server) createKey(c *call, req *wire.CreateKeyReq) (wire.CreateKeyResp, error) {
	if req.Realm != "" && req.Realm != c.caller.Region {
		return wire.CreateKeyResp{}, kmserr.InvalidRealm.Msgf("realm %q is not this project's region %q.", req.Realm, c.caller.Region)
	}
	k, err := s.Service.CreateKey(c.ctx, c.caller, service.NewKey{
		Alias: req.KeyAlias, Spec: domain.KeySpec(req.KeySpec), Usage: domain.KeyUsage(req.KeyUsage),
		Description: req.KeyDescription, Origin: domain.Origin(req.Origin),
		EnterpriseProjectID: req.EnterpriseProjectID, KeystoreID: req.KeystoreID,
	})
	if err != nil {
		return wire.CreateKeyResp{}, err
	}
	return wire.CreateKeyResp{KeyInfo: wire.KeyIDInfo{KeyID: k.ID, DomainID: k.DomainID, RegionID: c.caller.Region}}, nil
}

func (s *Server) describeKey(c *call, req *wire.KeyRefReq) (wire.DescribeKeyResp, error) {
	k, err := s.Service.DescribeKey(c.ctx, c.caller, req.KeyID)
	if err != nil {
		return wire.DescribeKeyResp{}, err
	}
	return wire.DescribeKeyResp{KeyInfo: toKeyDetails(k, c.caller.Region)}, nil
}
