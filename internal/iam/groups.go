package iam

import (
	"context"
	"errors"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/store"
)

const maxGroupName = 64

// CreateGroup creates a user group of account domainID.
func (s *Service) CreateGroup(ctx context.Context, domainID, name, description string) (domain.Group, error) {
	if name == "" || len([]rune(name)) > maxGroupName {
		return domain.Group{}, kmserr.IAMInvalid.Msgf("Request parameter name is invalid: 1 to %d characters.", maxGroupName)
	}
	if err := validDescription(description); err != nil {
		return domain.Group{}, err
	}
	g := domain.Group{ID: newID(), DomainID: domainID, Name: name, Description: description, CreatedAt: s.now()}
	err := s.update(ctx, func(tx Tx) error {
		if err := tx.LockAccount(ctx, domainID); err != nil { // the quota counts serialized
			return err
		}
		gs, err := tx.ListGroups(ctx, domainID)
		if err != nil {
			return err
		}
		if len(gs) >= MaxGroups {
			return kmserr.IAMQuota.Msgf("An account has at most %d user groups.", MaxGroups)
		}
		return tx.CreateGroup(ctx, g)
	})
	if errors.Is(err, store.ErrExists) {
		return domain.Group{}, kmserr.IAMConflict.Msgf("The group name already exists.")
	}
	return g, err
}

// EnsureGroup returns group name of an account, creating it if need be,
// and whether this call created it; nodes racing to create it end with
// one, and exactly one of them reports creating it.
func (s *Service) EnsureGroup(ctx context.Context, domainID, name string) (domain.Group, bool, error) {
	if gs, err := s.Groups(ctx, domainID, name); err != nil || len(gs) == 1 {
		return first(gs), false, err
	}
	desc := ""
	if name == domain.AdminGroup {
		desc = "Administrators of the account: every permission."
	}
	g := domain.Group{ID: newID(), DomainID: domainID, Name: name, Description: desc, CreatedAt: s.now()}
	err := s.update(ctx, func(tx Tx) error { return tx.CreateGroup(ctx, g) })
	if errors.Is(err, store.ErrExists) {
		gs, err := s.Groups(ctx, domainID, name)
		return first(gs), false, err
	}
	return g, err == nil, err
}

func first(gs []domain.Group) domain.Group {
	if len(gs) == 0 {
		return domain.Group{}
	}
	return gs[0]
}

// Groups lists an account's groups, optionally only the one named name.
func (s *Service) Groups(ctx context.Context, domainID, name string) ([]domain.Group, error) {
	gs, err := s.store.ListGroups(ctx, domainID)
	if err != nil || name == "" {
		return gs, err
	}
	for _, g := range gs {
		if g.Name == name {
			return []domain.Group{g}, nil
		}
	}
	return nil, nil
}

// Group returns group id of account domainID (404 IAM.0004 otherwise).
func (s *Service) Group(ctx context.Context, domainID, id string) (domain.Group, error) {
	g, err := s.store.GetGroup(ctx, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && g.DomainID != domainID {
		return domain.Group{}, kmserr.IAMNotFound.Msgf("Could not find group: %s.", id)
	}
	return g, err
}

// DeleteGroup deletes a group with its memberships and permissions. The
// admin group cannot be deleted.
func (s *Service) DeleteGroup(ctx context.Context, domainID, id string) error {
	g, err := s.Group(ctx, domainID, id)
	if err != nil {
		return err
	}
	if g.Name == domain.AdminGroup {
		return kmserr.IAMProtectedGroup
	}
	err = s.update(ctx, func(tx Tx) error { return tx.DeleteGroup(ctx, id) })
	s.perms.reset()
	return err
}

// AddUserToGroup makes a user a member of a group of the same account.
func (s *Service) AddUserToGroup(ctx context.Context, domainID, groupID, userID string) error {
	if _, err := s.Group(ctx, domainID, groupID); err != nil {
		return err
	}
	if _, err := s.AccountUser(ctx, domainID, userID); err != nil {
		return err
	}
	err := s.update(ctx, func(tx Tx) error { return tx.AddGroupMember(ctx, groupID, userID) })
	s.perms.reset()
	return err
}

// RemoveUserFromGroup removes a member; the last enabled administrator
// cannot leave the admin group.
func (s *Service) RemoveUserFromGroup(ctx context.Context, domainID, groupID, userID string) error {
	g, err := s.Group(ctx, domainID, groupID)
	if err != nil {
		return err
	}
	err = s.update(ctx, func(tx Tx) error {
		u, err := s.lockedUser(ctx, tx, domainID, userID)
		if err != nil {
			return err
		}
		if g.Name == domain.AdminGroup {
			if err := s.keepAnAdmin(ctx, tx, u); err != nil {
				return err
			}
		}
		return tx.RemoveGroupMember(ctx, groupID, userID)
	})
	if errors.Is(err, store.ErrNotFound) {
		return kmserr.IAMNotFound.Msgf("The user is not a member of the group.")
	}
	s.perms.reset()
	return err
}

// InGroup reports whether a user is a member of a group (404 IAM.0004
// when the group or the user does not exist in the account).
func (s *Service) InGroup(ctx context.Context, domainID, groupID, userID string) (bool, error) {
	if _, err := s.Group(ctx, domainID, groupID); err != nil {
		return false, err
	}
	if _, err := s.AccountUser(ctx, domainID, userID); err != nil {
		return false, err
	}
	gs, err := s.store.ListUserGroups(ctx, userID)
	for _, g := range gs {
		if g.ID == groupID {
			return true, nil
		}
	}
	return false, err
}

// UserGroups returns the groups of a user.
func (s *Service) UserGroups(ctx context.Context, userID string) ([]domain.Group, error) {
	return s.store.ListUserGroups(ctx, userID)
}
