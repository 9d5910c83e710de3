package api

import (
	"context"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/service"
)

// Rotation actions (management-api.md §3.10-§3.13).

func (s *Server) enableKeyRotation(c *call) (int, any, error) {
	return s.rotationSwitch(c, s.Service.EnableRotation)
}

func (s *Server) disableKeyRotation(c *call) (int, any, error) {
	return s.rotationSwitch(c, s.Service.DisableRotation)
}

// rotationSwitch decodes a keyRefSeqReq and answers 200 {} on success.
func (s *Server) rotationSwitch(c *call, fn func(context.Context, domain.Caller, string) error) (int, any, error) {
	var req keyRefSeqReq
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	c.setKey(req.KeyID)
	if err := fn(c.ctx, c.caller, req.KeyID); err != nil {
		return 0, nil, err
	}
	return 200, nil, nil
}

type rotationIntervalReq struct {
	KeyID            string     `json:"key_id"`
	RotationInterval flexString `json:"rotation_interval"`
	Sequence         string     `json:"sequence"`

	days int
}

func (r *rotationIntervalReq) Validate() error {
	if err := (&keyRefSeqReq{KeyID: r.KeyID, Sequence: r.Sequence}).Validate(); err != nil {
		return err
	}
	if r.RotationInterval == "" {
		return kmserr.MissingParameter.Msgf("rotation_interval is required.")
	}
	var err error
	r.days, err = intField(r.RotationInterval, 0, service.MinRotationDays, service.MaxRotationDays, kmserr.RotationInterval)
	return err
}

func (s *Server) updateKeyRotationInterval(c *call) (int, any, error) {
	var req rotationIntervalReq
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	c.setKey(req.KeyID)
	if err := s.Service.SetRotationInterval(c.ctx, c.caller, req.KeyID, req.days); err != nil {
		return 0, nil, err
	}
	return 200, nil, nil
}

// rotationStatus is the get-key-rotation-status response; the SDK decodes
// key_rotation_enabled as a boolean and the counts as integers.
type rotationStatus struct {
	KeyRotationEnabled bool   `json:"key_rotation_enabled"`
	RotationInterval   int    `json:"rotation_interval"`
	LastRotationTime   string `json:"last_rotation_time"`
	NumberOfRotations  int    `json:"number_of_rotations"`
}

func (s *Server) getKeyRotationStatus(c *call) (int, any, error) {
	var req keyRefSeqReq
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	c.setKey(req.KeyID)
	k, err := s.Service.RotationStatus(c.ctx, c.caller, req.KeyID)
	if err != nil {
		return 0, nil, err
	}
	interval := k.RotationInterval
	if interval == 0 {
		interval = service.MaxRotationDays
	}
	return 200, rotationStatus{KeyRotationEnabled: k.RotationEnabled, RotationInterval: interval,
		LastRotationTime: millis(k.LastRotation), NumberOfRotations: k.RotationCount}, nil
}
