package iam

import (
	"context"
	"errors"
	"fmt"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
)

// EnsureAccount returns the account named name, creating it (with id, or a
// generated id when empty) if it does not exist.
func (s *Service) EnsureAccount(ctx context.Context, name, id string) (domain.Account, error) {
	a, err := s.store.GetAccountByName(ctx, name)
	if err == nil || !errors.Is(err, store.ErrNotFound) {
		return a, err
	}
	if id == "" {
		id = newID()
	}
	a = domain.Account{ID: id, Name: name, CreatedAt: s.now()}
	err = s.update(ctx, func(tx Tx) error { return tx.CreateAccount(ctx, a) })
	if errors.Is(err, store.ErrExists) { // created concurrently by another node
		return s.store.GetAccountByName(ctx, name)
	}
	if err != nil {
		return a, fmt.Errorf("iam: create account: %w", err)
	}
	return a, nil
}

// EnsureProject returns the project of account a named name (a region id),
// creating it with id (generated when empty) if it does not exist. A project
// that exists with a different id than a non-empty id is an error.
// Nodes starting at once may race to create it: the loser uses the
// winner's project.
func (s *Service) EnsureProject(ctx context.Context, a domain.Account, name, id string) (domain.Project, error) {
	p, found, err := s.findProject(ctx, a, name, id)
	if found || err != nil {
		return p, err
	}
	p, err = s.CreateProject(ctx, a, name, id)
	if errors.Is(err, store.ErrExists) { // created concurrently by another node?
		if p2, found, err2 := s.findProject(ctx, a, name, id); found || err2 != nil {
			return p2, err2
		}
	}
	return p, err
}

// findProject looks up project name of account a, checking its id when id
// is not empty.
func (s *Service) findProject(ctx context.Context, a domain.Account, name, id string) (domain.Project, bool, error) {
	ps, err := s.store.ListProjects(ctx, a.ID, name)
	if err != nil {
		return domain.Project{}, false, fmt.Errorf("iam: list projects: %w", err)
	}
	if len(ps) == 0 {
		return domain.Project{}, false, nil
	}
	if id != "" && ps[0].ID != id {
		return domain.Project{}, true, fmt.Errorf("iam: project %q of account %q already exists with id %s, not %s", name, a.Name, ps[0].ID, id)
	}
	return ps[0], true, nil
}

// CreateProject creates a project named name (a region id) in account a.
// The name must pass domain.CheckProjectName. A project of that name that
// exists already gives an error wrapping store.ErrExists that names its id.
func (s *Service) CreateProject(ctx context.Context, a domain.Account, name, id string) (domain.Project, error) {
	if err := domain.CheckProjectName(name); err != nil {
		return domain.Project{}, fmt.Errorf("iam: %w", err)
	}
	if id == "" {
		id = newID()
	}
	p := domain.Project{ID: id, Name: name, DomainID: a.ID, CreatedAt: s.now()}
	err := s.update(ctx, func(tx Tx) error { return tx.CreateProject(ctx, p) })
	if errors.Is(err, store.ErrExists) {
		return p, s.projectExists(ctx, a, p, err)
	}
	if err != nil {
		return p, fmt.Errorf("iam: create project %q: %w", name, err)
	}
	return p, nil
}

// projectExists explains why creating p failed with err (store.ErrExists):
// its name is taken in the account, naming the project that has it, or its
// id is taken.
func (s *Service) projectExists(ctx context.Context, a domain.Account, p domain.Project, err error) error {
	if ps, lerr := s.store.ListProjects(ctx, a.ID, p.Name); lerr == nil && len(ps) > 0 {
		return fmt.Errorf("iam: project %q already exists in account %q with id %s: %w", p.Name, a.Name, ps[0].ID, store.ErrExists)
	}
	return fmt.Errorf("iam: create project %q with id %s: the id is taken: %w", p.Name, p.ID, err)
}

// EnsureUser returns user name of account a, creating it with password
// (hashed) and limited to projectIDs (empty: every project of a) if absent.
// created reports whether it was created; an existing user is returned as
// it is.
func (s *Service) EnsureUser(ctx context.Context, a domain.Account, name, password string, projectIDs []string) (u domain.User, created bool, err error) {
	u, err = s.store.GetUserByName(ctx, a.ID, name)
	if err == nil || !errors.Is(err, store.ErrNotFound) {
		return u, false, err
	}
	hash, err := s.hashPassword(ctx, password)
	if err != nil {
		return u, false, err
	}
	u = domain.User{ID: newID(), Name: name, DomainID: a.ID, PasswordHash: hash, ProjectIDs: projectIDs, CreatedAt: s.now()}
	err = s.update(ctx, func(tx Tx) error { return tx.CreateUser(ctx, u) })
	if errors.Is(err, store.ErrExists) { // created concurrently by another node
		u, err = s.store.GetUserByName(ctx, a.ID, name)
		return u, false, err
	}
	if err != nil {
		return u, false, fmt.Errorf("iam: create user %q: %w", name, err)
	}
	return u, true, nil
}

func (s *Service) findAccount(ctx context.Context, name, id string) (domain.Account, error) {
	var a domain.Account
	var err error
	if id != "" {
		a, err = s.store.GetAccount(ctx, id)
	} else {
		a, err = s.store.GetAccountByName(ctx, name)
	}
	if errors.Is(err, store.ErrNotFound) {
		return a, fmt.Errorf("%w: account", ErrUnknown)
	}
	return a, err
}

// User returns a user by id (ErrUnknown if absent). Found users are
// cached until the store reports a change to them (Watch); this node's
// own changes drop them at once.
func (s *Service) User(ctx context.Context, id string) (domain.User, error) {
	if u, ok := s.users.get(id); ok {
		return u, nil
	}
	u, err := s.store.GetUser(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return u, fmt.Errorf("%w: user %q", ErrUnknown, id)
	}
	if err != nil {
		return u, fmt.Errorf("iam: get user: %w", err)
	}
	s.users.put(id, u)
	return u, nil
}
