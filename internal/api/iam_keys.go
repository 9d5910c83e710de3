package api

import (
	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/wire"
)

// Permanent access keys: CreatePermanentAccessKey, ListPermanentAccessKeys,
// ShowPermanentAccessKey, UpdatePermanentAccessKey, DeletePermanentAccessKey.
// A user manages its own keys; other users' need the IAM action.

type credentialDTO struct {
	UserID      string `json:"user_id"`
	Access      string `json:"access"`
	Secret      string `json:"secret,omitempty"` // on creation only
	Status      string `json:"status"`
	CreateTime  string `json:"create_time"`
	LastUseTime string `json:"last_use_time,omitempty"`
	Description string `json:"description"`
}

func toCredential(c domain.Credential) credentialDTO {
	return credentialDTO{UserID: c.UserID, Access: c.AccessKey, Status: c.Status(), CreateTime: iamTime(c.CreatedAt),
		Description: c.Description}
}

type credentialResp struct {
	Credential credentialDTO `json:"credential"`
}

func (s *Server) createAccessKey(c *call, req *wire.CreateCredentialReq) (credentialResp, error) {
	uid := req.Credential.UserID
	if err := s.authorizeIAM(c, uid == c.identity.UserID); err != nil {
		return credentialResp{}, err
	}
	sec, err := s.IAM.CreateAccessKey(c.ctx, c.identity.DomainID, uid, deref(req.Credential.Description))
	if err != nil {
		return credentialResp{}, err
	}
	dto := toCredential(sec.Credential)
	dto.Secret = sec.SecretKey
	return credentialResp{dto}, nil
}

func (s *Server) listAccessKeys(c *call) (map[string]any, error) {
	uid := c.r.URL.Query().Get("user_id")
	if uid == "" {
		uid = c.identity.UserID
	}
	if err := s.authorizeIAM(c, uid == c.identity.UserID); err != nil {
		return nil, err
	}
	keys, err := s.IAM.AccessKeys(c.ctx, c.identity.DomainID, uid)
	if err != nil {
		return nil, err
	}
	out := []credentialDTO{}
	for _, k := range keys {
		out = append(out, toCredential(k))
	}
	return map[string]any{"credentials": out}, nil
}

// ownKey returns access key ak of the caller's account after authorizing
// the call on its user.
func (s *Server) ownKey(c *call, ak string) (domain.Credential, error) {
	k, err := s.IAM.AccessKey(c.ctx, c.identity.DomainID, ak)
	if err != nil {
		if aerr := s.authorizeIAM(c, false); aerr != nil {
			return k, aerr // do not tell a non-administrator which keys exist
		}
		return k, err
	}
	return k, s.authorizeIAM(c, k.UserID == c.identity.UserID)
}

func (s *Server) showAccessKey(c *call, req *wire.AccessKeyRef) (credentialResp, error) {
	k, err := s.ownKey(c, req.AccessKey)
	if err != nil {
		return credentialResp{}, err
	}
	return credentialResp{toCredential(k)}, nil
}

func (s *Server) updateAccessKey(c *call, req *wire.UpdateCredentialReq) (credentialResp, error) {
	if _, err := s.ownKey(c, req.AccessKey); err != nil {
		return credentialResp{}, err
	}
	var inactive *bool
	if st := req.Credential.Status; st != nil {
		v := *st == "inactive"
		inactive = &v
	}
	k, err := s.IAM.UpdateAccessKey(c.ctx, c.identity.DomainID, req.AccessKey, inactive, req.Credential.Description)
	if err != nil {
		return credentialResp{}, err
	}
	return credentialResp{toCredential(k)}, nil
}

func (s *Server) deleteAccessKey(c *call, req *wire.AccessKeyRef) (wire.Empty, error) {
	if _, err := s.ownKey(c, req.AccessKey); err != nil {
		return wire.Empty{}, err
	}
	return wire.Empty{}, s.IAM.DeleteAccessKey(c.ctx, c.identity.DomainID, req.AccessKey)
}
