package api

import (
	"github.com/kmsd/kmsd/internal/service"
	"github.com/kmsd/kmsd/internal/wire"
)

// Rotation actions (management-api.md §3.10-§3.13).

func (s *Server) enableKeyRotation(c *call, req *wire.KeyRefSeqReq) (wire.Empty, error) {
	return wire.Empty{}, s.Service.EnableRotation(c.ctx, c.caller, req.KeyID)
}

func (s *Server) disableKeyRotation(c *call, req *wire.KeyRefSeqReq) (wire.Empty, error) {
	return wire.Empty{}, s.Service.DisableRotation(c.ctx, c.caller, req.KeyID)
}

func (s *Server) updateKeyRotationInterval(c *call, req *wire.RotationIntervalReq) (wire.Empty, error) {
	return wire.Empty{}, s.Service.SetRotationInterval(c.ctx, c.caller, req.KeyID, req.Days())
}

func (s *Server) getKeyRotationStatus(c *call, req *wire.KeyRefSeqReq) (wire.RotationStatusResp, error) {
	k, err := s.Service.RotationStatus(c.ctx, c.caller, req.KeyID)
	if err != nil {
		return wire.RotationStatusResp{}, err
	}
	interval := k.RotationInterval
	if interval == 0 {
		interval = service.MaxRotationDays
	}
	return wire.RotationStatusResp{KeyRotationEnabled: k.RotationEnabled, RotationInterval: interval,
		LastRotationTime: millis(k.LastRotation), NumberOfRotations: k.RotationCount}, nil
}
