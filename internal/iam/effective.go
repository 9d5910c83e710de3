package iam

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/iampolicy"
)

// permCache holds the effective policy Set of (user, project) pairs, for
// at most CacheTTL each. Any change to groups, memberships, policies or
// assignments empties it (they are rare); a generation counter keeps a Set
// computed before a reset from being stored after it.
type permCache struct {
	mu    sync.RWMutex
	gen   uint64
	m     map[[2]string]cached[*iampolicy.Set]
	clock func() time.Time
}

func newPermCache(clock func() time.Time) *permCache {
	return &permCache{m: map[[2]string]cached[*iampolicy.Set]{}, clock: clock}
}

func (c *permCache) get(k [2]string) (*iampolicy.Set, uint64, bool) {
	c.mu.RLock()
	e, ok := c.m[k]
	gen := c.gen
	c.mu.RUnlock()
	if !ok || !c.clock().Before(e.expires) {
		return nil, gen, false
	}
	return e.v, gen, true
}

func (c *permCache) put(k [2]string, s *iampolicy.Set, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= maxCached {
		clear(c.m)
	}
	if gen == c.gen {
		c.m[k] = cached[*iampolicy.Set]{v: s, expires: c.clock().Add(CacheTTL)}
	}
}

func (c *permCache) reset() {
	c.mu.Lock()
	c.gen++
	clear(c.m)
	c.mu.Unlock()
}

// Policies returns the effective policies of a user in a project (project
// "" for the account-level decisions of the IAM API): everything for a
// member of its account's admin group; otherwise the union of the roles
// and policies granted to its groups on that project and on the whole
// account. Results are cached until a change to any of them.
func (s *Service) Policies(ctx context.Context, userID, projectID string) (*iampolicy.Set, error) {
	k := [2]string{userID, projectID}
	set, gen, ok := s.perms.get(k)
	if ok {
		return set, nil
	}
	set, err := s.computePolicies(ctx, userID, projectID)
	if err != nil {
		return nil, fmt.Errorf("iam: effective policies: %w", err)
	}
	s.perms.put(k, set, gen)
	return set, nil
}

func (s *Service) computePolicies(ctx context.Context, userID, projectID string) (*iampolicy.Set, error) {
	groups, err := s.store.ListUserGroups(ctx, userID)
	if err != nil {
		return nil, err
	}
	var docs []iampolicy.Document
	for _, g := range groups {
		if g.Name == domain.AdminGroup {
			return iampolicy.AllowAll(), nil
		}
		as, err := s.store.ListAssignments(ctx, g.ID)
		if err != nil {
			return nil, err
		}
		for _, a := range as {
			if a.ProjectID != "" && a.ProjectID != projectID {
				continue
			}
			r, err := s.role(ctx, s.store, g.DomainID, a.RoleID)
			if err != nil {
				return nil, err
			}
			docs = append(docs, r.Document)
		}
	}
	return iampolicy.Compile(docs...), nil
}

// UserRoles returns the names of the roles and policies a user holds in a
// project (or account-wide when projectID is empty), as a token lists
// them: "te_admin" for a member of the admin group, then every role and
// policy its groups were granted there, each once.
func (s *Service) UserRoles(ctx context.Context, userID, projectID string) ([]Role, bool, error) {
	groups, err := s.store.ListUserGroups(ctx, userID)
	if err != nil {
		return nil, false, err
	}
	var out []Role
	admin, seen := false, map[string]bool{}
	for _, g := range groups {
		admin = admin || g.Name == domain.AdminGroup
		as, err := s.store.ListAssignments(ctx, g.ID)
		if err != nil {
			return nil, false, err
		}
		for _, a := range as {
			if a.ProjectID != "" && a.ProjectID != projectID || seen[a.RoleID] {
				continue
			}
			r, err := s.role(ctx, s.store, g.DomainID, a.RoleID)
			if err != nil {
				return nil, false, err
			}
			seen[a.RoleID] = true
			out = append(out, r)
		}
	}
	return out, admin, nil
}
