package api

import (
	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/wire"
)

// Key lifecycle changes (management-api.md §3.4-§3.9).

func (s *Server) updateKeyDescription(c *call, req *wire.UpdateDescriptionReq) (wire.UpdateDescriptionResp, error) {
	k, err := s.Service.UpdateDescription(c.ctx, c.caller, req.KeyID, *req.KeyDescription)
	if err != nil {
		return wire.UpdateDescriptionResp{}, err
	}
	return wire.UpdateDescriptionResp{KeyInfo: wire.DescriptionInfo{KeyID: k.ID, KeyDescription: k.Description}}, nil
}

func (s *Server) updateKeyAlias(c *call, req *wire.UpdateAliasReq) (wire.UpdateAliasResp, error) {
	k, err := s.Service.UpdateAlias(c.ctx, c.caller, req.KeyID, req.KeyAlias)
	if err != nil {
		return wire.UpdateAliasResp{}, err
	}
	return wire.UpdateAliasResp{KeyInfo: wire.AliasInfo{KeyID: k.ID, KeyAlias: k.Alias}}, nil
}

func (s *Server) enableKey(c *call, req *wire.KeyReq) (wire.KeyStateResp, error) {
	k, err := s.Service.EnableKey(c.ctx, c.caller, req.KeyID)
	return wire.KeyStateResp{KeyInfo: stateInfo(k)}, err
}

func (s *Server) disableKey(c *call, req *wire.KeyReq) (wire.KeyStateResp, error) {
	k, err := s.Service.DisableKey(c.ctx, c.caller, req.KeyID)
	return wire.KeyStateResp{KeyInfo: stateInfo(k)}, err
}

func (s *Server) cancelKeyDeletion(c *call, req *wire.KeyReq) (wire.StateInfo, error) {
	k, err := s.Service.CancelDeletion(c.ctx, c.caller, req.KeyID)
	return stateInfo(k), err
}

func (s *Server) scheduleKeyDeletion(c *call, req *wire.ScheduleDeletionReq) (wire.StateInfo, error) {
	k, err := s.Service.ScheduleDeletion(c.ctx, c.caller, req.KeyID, req.Days())
	return stateInfo(k), err
}

// stateInfo renders a key's id and state.
func stateInfo(k domain.Key) wire.StateInfo {
	return wire.StateInfo{KeyID: k.ID, KeyState: string(k.State)}
}
