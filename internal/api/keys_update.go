package api

import (
	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
)

// Key lifecycle changes (management-api.md §3.4-§3.9).

type updateDescriptionReq struct {
	KeyID          string  `json:"key_id"`
	KeyDescription *string `json:"key_description"`
	Sequence       string  `json:"sequence"`
}

func (r *updateDescriptionReq) Validate() error {
	if err := (&keyReq{KeyID: r.KeyID, Sequence: r.Sequence}).Validate(); err != nil {
		return err
	}
	if r.KeyDescription == nil {
		return kmserr.MissingParameter.Msgf("key_description is required (it may be empty).")
	}
	return domain.CheckDescription(*r.KeyDescription)
}

type descriptionInfo struct {
	KeyID          string `json:"key_id"`
	KeyDescription string `json:"key_description"`
}

func (s *Server) updateKeyDescription(c *call) (int, any, error) {
	var req updateDescriptionReq
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	c.setKey(req.KeyID)
	k, err := s.Service.UpdateDescription(c.ctx, c.caller, req.KeyID, *req.KeyDescription)
	if err != nil {
		return 0, nil, err
	}
	return 200, map[string]descriptionInfo{"key_info": {KeyID: k.ID, KeyDescription: k.Description}}, nil
}

type updateAliasReq struct {
	KeyID    string `json:"key_id"`
	KeyAlias string `json:"key_alias"`
	Sequence string `json:"sequence"`
}

func (r *updateAliasReq) Validate() error {
	if err := (&keyReq{KeyID: r.KeyID, Sequence: r.Sequence}).Validate(); err != nil {
		return err
	}
	return domain.CheckKeyAlias(r.KeyAlias)
}

type aliasInfo struct {
	KeyID    string `json:"key_id"`
	KeyAlias string `json:"key_alias"`
}

func (s *Server) updateKeyAlias(c *call) (int, any, error) {
	var req updateAliasReq
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	c.setKey(req.KeyID)
	k, err := s.Service.UpdateAlias(c.ctx, c.caller, req.KeyID, req.KeyAlias)
	if err != nil {
		return 0, nil, err
	}
	return 200, map[string]aliasInfo{"key_info": {KeyID: k.ID, KeyAlias: k.Alias}}, nil
}

type stateInfo struct {
	KeyID    string `json:"key_id"`
	KeyState string `json:"key_state"`
}

// stateChange runs a service method that takes a key id and returns the key,
// answering with its id and new state; wrapped selects the key_info wrapper
// (enable/disable) or the flat form (cancel-key-deletion).
func (s *Server) stateChange(c *call, wrapped bool, fn func(c *call, id string) (domain.Key, error)) (int, any, error) {
	var req keyReq
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	c.setKey(req.KeyID)
	k, err := fn(c, req.KeyID)
	if err != nil {
		return 0, nil, err
	}
	info := stateInfo{KeyID: k.ID, KeyState: string(k.State)}
	if wrapped {
		return 200, map[string]stateInfo{"key_info": info}, nil
	}
	return 200, info, nil
}

func (s *Server) enableKey(c *call) (int, any, error) {
	return s.stateChange(c, true, func(c *call, id string) (domain.Key, error) {
		return s.Service.EnableKey(c.ctx, c.caller, id)
	})
}

func (s *Server) disableKey(c *call) (int, any, error) {
	return s.stateChange(c, true, func(c *call, id string) (domain.Key, error) {
		return s.Service.DisableKey(c.ctx, c.caller, id)
	})
}

func (s *Server) cancelKeyDeletion(c *call) (int, any, error) {
	return s.stateChange(c, false, func(c *call, id string) (domain.Key, error) {
		return s.Service.CancelDeletion(c.ctx, c.caller, id)
	})
}

type scheduleDeletionReq struct {
	KeyID       string `json:"key_id"`
	PendingDays string `json:"pending_days"`
	Sequence    string `json:"sequence"`

	days int
}

func (r *scheduleDeletionReq) Validate() error {
	if err := (&keyReq{KeyID: r.KeyID, Sequence: r.Sequence}).Validate(); err != nil {
		return err
	}
	var err error
	r.days, err = domain.ParsePendingDays(r.PendingDays)
	return err
}

func (s *Server) scheduleKeyDeletion(c *call) (int, any, error) {
	var req scheduleDeletionReq
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	c.setKey(req.KeyID)
	k, err := s.Service.ScheduleDeletion(c.ctx, c.caller, req.KeyID, req.days)
	if err != nil {
		return 0, nil, err
	}
	return 200, stateInfo{KeyID: k.ID, KeyState: string(k.State)}, nil
}
