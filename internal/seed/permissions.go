package seed

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/iam"
	"github.com/kmsd/kmsd/internal/iampolicy"
)

// applyPermissions creates the account's missing custom policies and
// groups, and grants the groups their permissions (granting again is a
// no-op).
func applyPermissions(ctx context.Context, acct domain.Account, a Account, projects map[string]string, ids *iam.Service) error {
	for _, p := range a.Policies {
		if err := applyPolicy(ctx, acct, p, ids); err != nil {
			return err
		}
	}
	for _, g := range a.Groups {
		grp, _, err := ids.EnsureGroup(ctx, acct.ID, g.Name)
		if err != nil {
			return fmt.Errorf("seed: group %q: %w", g.Name, err)
		}
		for _, p := range g.Permissions {
			if err := grant(ctx, acct, grp, p, projects, ids); err != nil {
				return err
			}
		}
	}
	return nil
}

func applyPolicy(ctx context.Context, acct domain.Account, p Policy, ids *iam.Service) error {
	if _, found, err := roleNamed(ctx, acct, p.Name, ids); err != nil || found {
		return err
	}
	raw, err := json.Marshal(p.Document)
	if err != nil {
		return fmt.Errorf("seed: policy %q: %w", p.Name, err)
	}
	doc, err := iampolicy.Parse(raw)
	if err != nil {
		return fmt.Errorf("seed: policy %q: %w", p.Name, err)
	}
	typ := p.Type
	if typ == "" {
		typ = "XA"
	}
	if _, err := ids.CreateCustomPolicy(ctx, acct.ID, p.Name, typ, p.Description, doc); err != nil {
		return fmt.Errorf("seed: policy %q: %w", p.Name, err)
	}
	return nil
}

func grant(ctx context.Context, acct domain.Account, g domain.Group, p Permission, projects map[string]string, ids *iam.Service) error {
	r, found, err := roleNamed(ctx, acct, p.Role, ids)
	if err != nil {
		return err
	}
	if !found {
		return fmt.Errorf("seed: group %q: no role or policy named %q", g.Name, p.Role)
	}
	sc := iam.Scope{DomainID: acct.ID}
	if p.Project != "" {
		if sc.Project = projects[p.Project]; sc.Project == "" {
			return fmt.Errorf("seed: group %q: project %q is not in the account", g.Name, p.Project)
		}
	}
	if err := ids.Grant(ctx, sc, g.ID, r.ID); err != nil {
		return fmt.Errorf("seed: group %q: grant %q: %w", g.Name, p.Role, err)
	}
	return nil
}

// roleNamed finds a system role or custom policy by display name.
func roleNamed(ctx context.Context, acct domain.Account, name string, ids *iam.Service) (iam.Role, bool, error) {
	rs, err := ids.Roles(ctx, acct.ID)
	for _, r := range rs {
		if r.DisplayName == name {
			return r, true, nil
		}
	}
	return iam.Role{}, false, err
}

// applyMemberships puts a seeded user in its groups: those it names, or,
// when it names none (the field absent) and the seed created it, its
// account's admin group.
func applyMemberships(ctx context.Context, a domain.Account, u User, user domain.User, created bool, ids *iam.Service) error {
	names := u.Groups
	if names == nil {
		if !created {
			return nil
		}
		names = []string{domain.AdminGroup}
	}
	for _, n := range names {
		g, _, err := ids.EnsureGroup(ctx, a.ID, n)
		if err != nil {
			return fmt.Errorf("seed: user %q: group %q: %w", u.Name, n, err)
		}
		if err := ids.AddUserToGroup(ctx, a.ID, g.ID, user.ID); err != nil {
			return fmt.Errorf("seed: user %q: group %q: %w", u.Name, n, err)
		}
	}
	return nil
}
