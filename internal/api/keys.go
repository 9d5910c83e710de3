package api

import (
	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/service"
)

// Key lifecycle actions: create-key, describe-key, list-keys (management-api.md §3.1-§3.3).

type createKeyReq struct {
	KeyAlias            string  `json:"key_alias"`
	KeySpec             string  `json:"key_spec"`
	KeyUsage            string  `json:"key_usage"`
	KeyDescription      string  `json:"key_description"`
	Origin              string  `json:"origin"`
	EnterpriseProjectID string  `json:"enterprise_project_id"`
	Sequence            string  `json:"sequence"`
	KeystoreID          string  `json:"keystore_id"`
	VMID                *string `json:"vm_id"` // accepted and ignored (level-4 evaluation only)
}

func (r *createKeyReq) Validate() error {
	if err := domain.CheckSequence(r.Sequence); err != nil {
		return err
	}
	return domain.CheckKeyAlias(r.KeyAlias)
}

type keyIDInfo struct {
	KeyID    string `json:"key_id"`
	DomainID string `json:"domain_id"`
	RegionID string `json:"region_id,omitempty"`
}

func (s *Server) createKey(c *call) (int, any, error) {
	var req createKeyReq
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	k, err := s.Service.CreateKey(c.ctx, c.caller, service.NewKey{
		Alias: req.KeyAlias, Spec: domain.KeySpec(req.KeySpec), Usage: domain.KeyUsage(req.KeyUsage),
		Description: req.KeyDescription, Origin: domain.Origin(req.Origin),
		EnterpriseProjectID: req.EnterpriseProjectID, KeystoreID: req.KeystoreID,
	})
	if err != nil {
		return 0, nil, err
	}
	c.setKey(k.ID)
	return 200, map[string]keyIDInfo{"key_info": {KeyID: k.ID, DomainID: k.DomainID, RegionID: c.caller.Region}}, nil
}

// keyReq is the body of actions that name one key (OperateKeyRequestBody).
type keyReq struct {
	KeyID    string `json:"key_id"`
	Sequence string `json:"sequence"`
}

func (r *keyReq) Validate() error {
	if err := domain.CheckSequence(r.Sequence); err != nil {
		return err
	}
	return domain.CheckKeyID(r.KeyID)
}

// keyRefReq is keyReq whose key_id may also be an alias or alias URN.
type keyRefReq keyReq

func (r *keyRefReq) Validate() error {
	if r.KeyID == "" {
		return kmserr.MissingParameter.Msgf("key_id is required.")
	}
	return domain.CheckSequence(r.Sequence)
}

func (s *Server) describeKey(c *call) (int, any, error) {
	var req keyRefReq
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	k, err := s.Service.DescribeKey(c.ctx, c.caller, req.KeyID)
	if err != nil {
		return 0, nil, err
	}
	c.setKey(k.ID)
	return 200, map[string]keyDetails{"key_info": toKeyDetails(k, c.caller.Region)}, nil
}

// decodeValid decodes the body into req and validates it.
func decodeValid(c *call, req validator) error {
	if err := decode(c.body, req); err != nil {
		return err
	}
	return req.Validate()
}
