package api

import (
	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/wire"
)

// Groups: KeystoneCreateGroup, KeystoneListGroups, KeystoneDeleteGroup,
// KeystoneAddUserToGroup, KeystoneRemoveUserFromGroup,
// KeystoneCheckUserInGroup, KeystoneListUsersForGroupByAdmin.

type groupDTO struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	DomainID    string `json:"domain_id"`
	Description string `json:"description"`
	CreateTime  int64  `json:"create_time"` // Unix milliseconds
	Links       links  `json:"links"`
}

func toGroup(g domain.Group) groupDTO {
	return groupDTO{ID: g.ID, Name: g.Name, DomainID: g.DomainID, Description: g.Description,
		CreateTime: g.CreatedAt.UnixMilli(), Links: links{Self: "/v3/groups/" + g.ID}}
}

type groupResp struct {
	Group groupDTO `json:"group"`
}

func (s *Server) createGroup(c *call, req *wire.CreateGroupReq) (groupResp, error) {
	if err := s.authorizeIAM(c, false); err != nil {
		return groupResp{}, err
	}
	if err := c.inAccount(req.Group.DomainID); err != nil {
		return groupResp{}, err
	}
	g, err := s.IAM.CreateGroup(c.ctx, c.identity.DomainID, req.Group.Name, deref(req.Group.Description))
	if err != nil {
		return groupResp{}, err
	}
	return groupResp{toGroup(g)}, nil
}

func (s *Server) listGroups(c *call) (map[string]any, error) {
	if err := s.authorizeIAM(c, false); err != nil {
		return nil, err
	}
	q := c.r.URL.Query()
	out := []groupDTO{}
	if d := q.Get("domain_id"); d == "" || d == c.identity.DomainID {
		gs, err := s.IAM.Groups(c.ctx, c.identity.DomainID, q.Get("name"))
		if err != nil {
			return nil, err
		}
		for _, g := range gs {
			out = append(out, toGroup(g))
		}
	}
	return map[string]any{"groups": out, "links": links{Self: c.r.URL.Path}}, nil
}

func (s *Server) deleteGroup(c *call) (wire.Empty, error) {
	if err := s.authorizeIAM(c, false); err != nil {
		return wire.Empty{}, err
	}
	return wire.Empty{}, s.IAM.DeleteGroup(c.ctx, c.identity.DomainID, c.r.PathValue("group_id"))
}

func (s *Server) addUserToGroup(c *call) (wire.Empty, error) {
	if err := s.authorizeIAM(c, false); err != nil {
		return wire.Empty{}, err
	}
	return wire.Empty{}, s.IAM.AddUserToGroup(c.ctx, c.identity.DomainID, c.r.PathValue("group_id"), c.r.PathValue("user_id"))
}

func (s *Server) removeUserFromGroup(c *call) (wire.Empty, error) {
	if err := s.authorizeIAM(c, false); err != nil {
		return wire.Empty{}, err
	}
	return wire.Empty{}, s.IAM.RemoveUserFromGroup(c.ctx, c.identity.DomainID, c.r.PathValue("group_id"), c.r.PathValue("user_id"))
}

// checkUserInGroup answers 204 for a member, 404 otherwise (HEAD: no body).
func (s *Server) checkUserInGroup(c *call) (wire.Empty, error) {
	if err := s.authorizeIAM(c, false); err != nil {
		return wire.Empty{}, err
	}
	in, err := s.IAM.InGroup(c.ctx, c.identity.DomainID, c.r.PathValue("group_id"), c.r.PathValue("user_id"))
	if err == nil && !in {
		err = kmserr.IAMNotFound.Msgf("The user is not a member of the group.")
	}
	return wire.Empty{}, err
}

func (s *Server) listGroupUsers(c *call) (map[string]any, error) {
	if err := s.authorizeIAM(c, false); err != nil {
		return nil, err
	}
	gid := c.r.PathValue("group_id")
	if _, err := s.IAM.Group(c.ctx, c.identity.DomainID, gid); err != nil {
		return nil, err
	}
	users, err := s.IAM.Users(c.ctx, c.identity.DomainID, "")
	if err != nil {
		return nil, err
	}
	out := []userDTO{}
	for _, u := range users {
		if in, err := s.IAM.InGroup(c.ctx, c.identity.DomainID, gid, u.ID); err != nil {
			return nil, err
		} else if in {
			out = append(out, toUser(u))
		}
	}
	return map[string]any{"users": out, "links": links{Self: c.r.URL.Path}}, nil
}
