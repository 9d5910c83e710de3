package api

import (
	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/iam"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/wire"
)

// Users: KeystoneCreateUser, KeystoneListUsers, KeystoneShowUser,
// KeystoneUpdateUserByAdmin, UpdateUser, KeystoneUpdateUserPassword,
// KeystoneDeleteUser.

type userDTO struct {
	ID                string `json:"id"`
	Name              string `json:"name"`
	DomainID          string `json:"domain_id"`
	Enabled           bool   `json:"enabled"`
	Description       string `json:"description"`
	PasswordExpiresAt string `json:"password_expires_at"`
	PwdStatus         bool   `json:"pwd_status"`
	Links             links  `json:"links"`
}

func toUser(u domain.User) userDTO {
	return userDTO{ID: u.ID, Name: u.Name, DomainID: u.DomainID, Enabled: !u.Disabled, Description: u.Description,
		PwdStatus: u.PasswordHash != "", Links: links{Self: "/v3/users/" + u.ID}}
}

type userResp struct {
	User userDTO `json:"user"`
}

func (s *Server) createUser(c *call, req *wire.CreateUserReq) (userResp, error) {
	if err := s.authorizeIAM(c, false); err != nil {
		return userResp{}, err
	}
	u := req.User
	if err := c.inAccount(u.DomainID); err != nil {
		return userResp{}, err
	}
	spec := iam.UserSpec{Name: u.Name, Password: deref(u.Password), Description: deref(u.Description),
		Disabled: u.Enabled != nil && !*u.Enabled}
	user, err := s.IAM.CreateUser(c.ctx, c.identity.DomainID, spec)
	if err != nil {
		return userResp{}, err
	}
	return userResp{toUser(user)}, nil
}

func (s *Server) listUsers(c *call) (map[string]any, error) {
	if err := s.authorizeIAM(c, false); err != nil {
		return nil, err
	}
	q := c.r.URL.Query()
	out := []userDTO{}
	if d := q.Get("domain_id"); d != "" && d != c.identity.DomainID {
		return map[string]any{"users": out, "links": links{Self: c.r.URL.Path}}, nil
	}
	users, err := s.IAM.Users(c.ctx, c.identity.DomainID, q.Get("name"))
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		if e := q.Get("enabled"); e != "" && (e == "true") == u.Disabled {
			continue
		}
		out = append(out, toUser(u))
	}
	return map[string]any{"users": out, "links": links{Self: c.r.URL.Path}}, nil
}

func (s *Server) showUser(c *call, req *wire.UserRef) (userResp, error) {
	if err := s.authorizeIAM(c, req.UserID == c.identity.UserID); err != nil {
		return userResp{}, err
	}
	u, err := s.IAM.AccountUser(c.ctx, c.identity.DomainID, req.UserID)
	if err != nil {
		return userResp{}, err
	}
	return userResp{toUser(u)}, nil
}

func (s *Server) updateUser(c *call, req *wire.UpdateUserReq) (userResp, error) {
	u := req.User
	if err := c.inAccount(u.DomainID); err != nil {
		return userResp{}, err
	}
	return s.patchUser(c, req.UserID, iam.UserPatch{Name: u.Name, Password: u.Password, Description: u.Description, Enabled: u.Enabled})
}

// updateUserV30 is UpdateUser (PUT /v3.0/OS-USER/users/{user_id}).
func (s *Server) updateUserV30(c *call, req *wire.UpdateUserV30Req) (userResp, error) {
	u := req.User
	return s.patchUser(c, req.UserID, iam.UserPatch{Name: u.Name, Password: u.Password, Description: u.Description, Enabled: u.Enabled})
}

func (s *Server) patchUser(c *call, id string, p iam.UserPatch) (userResp, error) {
	if err := s.authorizeIAM(c, false); err != nil {
		return userResp{}, err
	}
	user, err := s.IAM.UpdateUser(c.ctx, c.identity.DomainID, id, p)
	if err != nil {
		return userResp{}, err
	}
	return userResp{toUser(user)}, nil
}

// updatePassword changes the caller's own password (Huawei IAM allows it
// for oneself only; administrators reset others' with updateUser).
func (s *Server) updatePassword(c *call, req *wire.PasswordReq) (wire.Empty, error) {
	if req.UserID != c.identity.UserID {
		return wire.Empty{}, kmserr.IAMForbidden.Msgf("A user changes only its own password this way; an administrator sets another's with KeystoneUpdateUserByAdmin.")
	}
	return wire.Empty{}, s.IAM.ChangePassword(c.ctx, c.identity.DomainID, req.UserID, req.User.OriginalPassword, req.User.Password)
}

func (s *Server) deleteUser(c *call, req *wire.UserRef) (wire.Empty, error) {
	if err := s.authorizeIAM(c, false); err != nil {
		return wire.Empty{}, err
	}
	return wire.Empty{}, s.IAM.DeleteUser(c.ctx, c.identity.DomainID, req.UserID)
}
