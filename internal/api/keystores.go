package api

import (
	"strconv"

	"github.com/kmsd/kmsd/internal/service"
	"github.com/kmsd/kmsd/internal/wire"
)

// Keystore actions (management-api.md §10). kmsd has no dedicated HSM or
// crypto-card clusters: only DEFAULT keystores exist (docs/regions-and-keystores.md).

func toKeystoreDetails(ks service.Keystore) wire.KeystoreDetails {
	return wire.KeystoreDetails{
		KeystoreID: ks.ID, DomainID: ks.DomainID, KeystoreAlias: ks.Alias, KeystoreType: "DEFAULT",
		HsmClusterID: "", ClusterID: "0", CreateTime: strconv.FormatInt(ks.CreatedAt.UnixMilli(), 10),
		KeystoreState: ks.State,
	}
}

func (s *Server) createKeystore(c *call, req *wire.CreateKeystoreReq) (wire.CreateKeystoreResp, error) {
	ks, err := s.Service.CreateKeystore(c.ctx, c.caller, req.KeystoreAlias)
	if err != nil {
		return wire.CreateKeystoreResp{}, err
	}
	return wire.CreateKeystoreResp{Keystore: wire.KeystoreInfo{KeystoreID: ks.ID, DomainID: ks.DomainID}}, nil
}

func (s *Server) listKeystores(c *call, req *wire.ListKeystoresReq) (wire.ListKeystoresResp, error) {
	resp := wire.ListKeystoresResp{Keystores: []wire.KeystoreDetails{}}
	offset, limit := req.Window()
	if limit == 0 {
		return resp, nil
	}
	kss, total, err := s.Service.ListKeystores(c.ctx, c.caller, offset, limit)
	if err != nil {
		return wire.ListKeystoresResp{}, err
	}
	for _, ks := range kss {
		resp.Keystores = append(resp.Keystores, toKeystoreDetails(ks))
	}
	resp.Total = total
	return resp, nil
}

func (s *Server) showKeystore(c *call, req *wire.KeystorePath) (wire.KeystoreResp, error) {
	ks, err := s.Service.Keystore(c.ctx, c.caller, req.KeystoreID)
	if err != nil {
		return wire.KeystoreResp{}, err
	}
	return wire.KeystoreResp{Keystore: toKeystoreDetails(ks)}, nil
}

func (s *Server) deleteKeystore(c *call, req *wire.KeystorePath) (wire.Empty, error) {
	return wire.Empty{}, s.Service.DeleteKeystore(c.ctx, c.caller, req.KeystoreID)
}

func (s *Server) enableKeystore(c *call, req *wire.KeystorePath) (wire.KeystoreStateResp, error) {
	return s.setKeystoreState(c, req, service.KeystoreEnabled)
}

func (s *Server) disableKeystore(c *call, req *wire.KeystorePath) (wire.KeystoreStateResp, error) {
	return s.setKeystoreState(c, req, service.KeystoreDisabled)
}

func (s *Server) setKeystoreState(c *call, req *wire.KeystorePath, state string) (wire.KeystoreStateResp, error) {
	ks, err := s.Service.SetKeystoreState(c.ctx, c.caller, req.KeystoreID, state)
	if err != nil {
		return wire.KeystoreStateResp{}, err
	}
	return wire.KeystoreStateResp{Keystore: wire.KeystoreState{KeystoreID: ks.ID, KeystoreState: ks.State}}, nil
}
