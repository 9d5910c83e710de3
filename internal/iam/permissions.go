package iam

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/iampolicy"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/store"
)

// Role is a permission a group may be granted: a system role or policy
// (DomainID empty), or a custom policy of an account.
type Role struct {
	iampolicy.Role
	DomainID  string // "" for system roles and policies
	CreatedAt time.Time
}

// Custom reports whether r is an account's custom policy.
func (r Role) Custom() bool { return r.DomainID != "" }

// Roles lists the system roles and policies, then the custom policies of
// account domainID.
func (s *Service) Roles(ctx context.Context, domainID string) ([]Role, error) {
	var out []Role
	for _, r := range iampolicy.SystemRoles() {
		out = append(out, Role{Role: r})
	}
	ps, err := s.store.ListPolicies(ctx, domainID)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		r, err := customRole(p)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// role returns the system role or custom policy id visible to domainID.
func (s *Service) role(ctx context.Context, r Reader, domainID, id string) (Role, error) {
	if sr, ok := iampolicy.SystemRole(id); ok {
		return Role{Role: sr}, nil
	}
	p, err := r.GetPolicy(ctx, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && p.DomainID != domainID {
		return Role{}, kmserr.IAMNotFound.Msgf("Could not find role: %s.", id)
	}
	if err != nil {
		return Role{}, err
	}
	return customRole(p)
}

func customRole(p domain.Policy) (Role, error) {
	var doc iampolicy.Document
	if err := json.Unmarshal([]byte(p.Document), &doc); err != nil {
		return Role{}, err
	}
	return Role{Role: iampolicy.Role{ID: p.ID, Name: "custom_" + p.ID[:8], DisplayName: p.DisplayName, Type: p.Type,
		Catalog: "CUSTOMED", Description: p.Description, Document: doc}, DomainID: p.DomainID, CreatedAt: p.CreatedAt}, nil
}

// CreateCustomPolicy creates a custom policy of account domainID from a
// policy document in Huawei's policy language.
func (s *Service) CreateCustomPolicy(ctx context.Context, domainID, displayName, typ, description string, doc iampolicy.Document) (Role, error) {
	if displayName == "" || len([]rune(displayName)) > 128 {
		return Role{}, kmserr.IAMInvalid.Msgf("Request parameter display_name is invalid: 1 to 128 characters.")
	}
	if typ != "AX" && typ != "XA" {
		return Role{}, kmserr.IAMInvalid.Msgf(`Request parameter type is invalid: "AX" or "XA".`)
	}
	if err := doc.Validate(); err != nil {
		return Role{}, kmserr.IAMInvalid.Msgf("Request parameter policy is invalid: %v", err)
	}
	b, _ := json.Marshal(doc) // validated plain structs: cannot fail
	p := domain.Policy{ID: newID(), DomainID: domainID, DisplayName: displayName, Type: typ, Description: description,
		Document: string(b), CreatedAt: s.now()}
	err := s.update(ctx, func(tx Tx) error {
		if err := tx.LockAccount(ctx, domainID); err != nil { // the quota counts serialized
			return err
		}
		ps, err := tx.ListPolicies(ctx, domainID)
		if err != nil {
			return err
		}
		if len(ps) >= MaxPolicies {
			return kmserr.IAMQuota.Msgf("An account has at most %d custom policies.", MaxPolicies)
		}
		return tx.CreatePolicy(ctx, p)
	})
	if errors.Is(err, store.ErrExists) {
		return Role{}, kmserr.IAMConflict.Msgf("A custom policy with this display name already exists.")
	}
	if err != nil {
		return Role{}, err
	}
	return customRole(p)
}

// Scope is where a permission is granted: a project of the account, or
// the whole account (Project empty).
type Scope struct {
	DomainID, Project string
}

// checkScope checks that the group, the role and the project belong to
// the account.
func (s *Service) checkScope(ctx context.Context, sc Scope, groupID, roleID string) error {
	if _, err := s.Group(ctx, sc.DomainID, groupID); err != nil {
		return err
	}
	if roleID != "" {
		if _, err := s.role(ctx, s.store, sc.DomainID, roleID); err != nil {
			return err
		}
	}
	if sc.Project != "" {
		p, err := s.Project(ctx, sc.Project)
		if err != nil || p.DomainID != sc.DomainID {
			return kmserr.IAMNotFound.Msgf("Could not find project: %s.", sc.Project)
		}
	}
	return nil
}

// Grant grants a role or policy to a group on a scope.
func (s *Service) Grant(ctx context.Context, sc Scope, groupID, roleID string) error {
	if err := s.checkScope(ctx, sc, groupID, roleID); err != nil {
		return err
	}
	a := domain.Assignment{GroupID: groupID, RoleID: roleID, ProjectID: sc.Project}
	err := s.update(ctx, func(tx Tx) error { return tx.PutAssignment(ctx, a) })
	s.perms.reset()
	return err
}

// Revoke removes a grant; it takes effect at once on every node.
func (s *Service) Revoke(ctx context.Context, sc Scope, groupID, roleID string) error {
	if err := s.checkScope(ctx, sc, groupID, roleID); err != nil {
		return err
	}
	a := domain.Assignment{GroupID: groupID, RoleID: roleID, ProjectID: sc.Project}
	err := s.update(ctx, func(tx Tx) error { return tx.DeleteAssignment(ctx, a) })
	s.perms.reset()
	if errors.Is(err, store.ErrNotFound) {
		return kmserr.IAMNotFound.Msgf("The group has no such permission on this scope.")
	}
	return err
}

// GroupRoles lists the roles and policies granted to a group on a scope.
func (s *Service) GroupRoles(ctx context.Context, sc Scope, groupID string) ([]Role, error) {
	if err := s.checkScope(ctx, sc, groupID, ""); err != nil {
		return nil, err
	}
	as, err := s.store.ListAssignments(ctx, groupID)
	if err != nil {
		return nil, err
	}
	var out []Role
	for _, a := range as {
		if a.ProjectID != sc.Project {
			continue
		}
		r, err := s.role(ctx, s.store, sc.DomainID, a.RoleID)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// HasGrant reports whether a group has a role on a scope.
func (s *Service) HasGrant(ctx context.Context, sc Scope, groupID, roleID string) (bool, error) {
	rs, err := s.GroupRoles(ctx, sc, groupID)
	for _, r := range rs {
		if r.ID == roleID {
			return true, nil
		}
	}
	return false, err
}
