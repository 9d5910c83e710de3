package seed

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/iam"
	"github.com/kmsd/kmsd/internal/keycrypto"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/service"
	"github.com/kmsd/kmsd/internal/store"
)

// ApplyFile loads path and applies it.
func ApplyFile(ctx context.Context, path string, ids *iam.Service, keys *service.Service) error {
	f, err := Load(path)
	if err != nil {
		return err
	}
	return Apply(ctx, f, ids, keys)
}

// Apply creates whatever f describes that does not exist yet.
func Apply(ctx context.Context, f File, ids *iam.Service, keys *service.Service) error {
	for _, a := range f.Accounts {
		if err := applyAccount(ctx, a, ids, keys); err != nil {
			return err
		}
	}
	return nil
}

func applyAccount(ctx context.Context, a Account, ids *iam.Service, keys *service.Service) error {
	acct, err := ids.EnsureAccount(ctx, a.Name, a.ID)
	if err != nil {
		return fmt.Errorf("seed: account %q: %w", a.Name, err)
	}
	if a.ID != "" && acct.ID != a.ID {
		return fmt.Errorf("seed: account %q exists with id %s, not %s", a.Name, acct.ID, a.ID)
	}
	byName := map[string]string{}
	for _, p := range a.Projects {
		proj, err := ids.EnsureProject(ctx, acct, p.Name, p.ID)
		if err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		byName[p.Name] = proj.ID
		c := domain.Caller{DomainID: acct.ID, ProjectID: proj.ID, Region: proj.Name}
		for _, k := range p.Keys {
			if err := applyKey(ctx, c, k, keys); err != nil {
				return err
			}
		}
	}
	if err := applyPermissions(ctx, acct, a, byName, ids); err != nil {
		return err
	}
	for _, u := range a.Users {
		if err := applyUser(ctx, acct, u, byName, ids); err != nil {
			return err
		}
	}
	return nil
}

func applyUser(ctx context.Context, a domain.Account, u User, projects map[string]string, ids *iam.Service) error {
	limits, err := userProjects(u, projects)
	if err != nil {
		return err
	}
	user, created, err := ids.EnsureUser(ctx, a, u.Name, u.Password, limits)
	if err != nil {
		return fmt.Errorf("seed: user %q: %w", u.Name, err)
	}
	if !created && u.Projects != nil && !sameSet(user.ProjectIDs, limits) {
		return fmt.Errorf("seed: user %q exists with other projects than %v", u.Name, u.Projects)
	}
	if err := applyMemberships(ctx, a, u, user, created, ids); err != nil {
		return err
	}
	for _, cr := range u.Credentials {
		if err := applyCredential(ctx, cr, user, projects, ids); err != nil {
			return err
		}
	}
	return nil
}

// userProjects returns the ids of the projects a seeded user is created
// with: its own list, or, when it has none and every one of its access keys
// lists projects, their union (a user is never wider than all its keys).
func userProjects(u User, projects map[string]string) ([]string, error) {
	if u.Projects != nil || len(u.Credentials) == 0 {
		return projectIDs(u.Projects, projects, "user "+u.Name)
	}
	var ids []string
	for _, cr := range u.Credentials {
		if len(cr.Projects) == 0 {
			return nil, nil // an unlimited key: an unlimited user
		}
		more, err := projectIDs(cr.Projects, projects, "access key "+cr.AccessKey)
		if err != nil {
			return nil, err
		}
		ids = append(ids, more...)
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

// projectIDs resolves project names of the seed file to ids.
func projectIDs(names []string, projects map[string]string, who string) ([]string, error) {
	var ids []string
	for _, name := range names {
		id, ok := projects[name]
		if !ok {
			return nil, fmt.Errorf("seed: %s names unknown project %q", who, name)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

// applyCredential creates cr for user unless its access key exists.
func applyCredential(ctx context.Context, cr Credential, user domain.User, projects map[string]string, ids *iam.Service) error {
	if cr.AccessKey == "" || cr.SecretKey == "" {
		return fmt.Errorf("seed: user %q: credentials need access_key and secret_key", user.Name)
	}
	found, err := seededCredential(ctx, ids, cr, user)
	if found || err != nil {
		return err
	}
	pids, err := projectIDs(cr.Projects, projects, "access key "+cr.AccessKey)
	if err != nil {
		return err
	}
	_, err = ids.CreateCredential(ctx, user, pids, cr.AccessKey, cr.SecretKey)
	if errors.Is(err, store.ErrExists) { // another node applying the same file won the race
		_, err = seededCredential(ctx, ids, cr, user)
	}
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	return nil
}

// seededCredential reports whether cr's access key exists, checking that it
// has cr's secret key and belongs to user.
func seededCredential(ctx context.Context, ids *iam.Service, cr Credential, user domain.User) (bool, error) {
	sec, err := ids.LookupSecret(ctx, cr.AccessKey)
	if errors.Is(err, iam.ErrUnknown) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if sec.SecretKey != cr.SecretKey || sec.Credential.UserID != user.ID {
		return true, fmt.Errorf("seed: access key %s exists with another secret or user", cr.AccessKey)
	}
	return true, nil
}

// applyKey creates k unless a key with its id (or, without id, its alias)
// exists; an existing key must have the declared spec. Either way the key
// then has the declared aliases.
func applyKey(ctx context.Context, c domain.Caller, k Key, keys *service.Service) error {
	existing, err := findKey(ctx, c, k, keys)
	if err == nil {
		if k.Spec != "" && string(existing.Spec) != k.Spec {
			return fmt.Errorf("seed: key %s exists with spec %s, not %s", k.ref(), existing.Spec, k.Spec)
		}
		return applyAliases(ctx, c, existing.ID, k, keys)
	}
	if !errors.Is(err, kmserr.KeyNotFound) {
		return fmt.Errorf("seed: key %s: %w", k.ref(), err)
	}
	created, err := createKey(ctx, c, k, keys)
	if errors.Is(err, kmserr.AliasExists) {
		// Another node applying the same file won the race.
		if won, again := findKey(ctx, c, k, keys); again == nil {
			return applyAliases(ctx, c, won.ID, k, keys)
		}
	}
	if err != nil {
		return fmt.Errorf("seed: key %s: %w", k.ref(), err)
	}
	// Aliases before the state: a key pending deletion takes none.
	if err := applyAliases(ctx, c, created.ID, k, keys); err != nil {
		return err
	}
	if err := applyState(ctx, c, created.ID, k, keys); err != nil {
		return fmt.Errorf("seed: key %s: %w", k.ref(), err)
	}
	return nil
}

// applyAliases gives key id each alias of k that does not exist yet; an
// alias that exists must point at it.
func applyAliases(ctx context.Context, c domain.Caller, id string, k Key, keys *service.Service) error {
	for _, name := range k.Aliases {
		if !strings.HasPrefix(name, service.AliasPrefix) {
			return fmt.Errorf("seed: key %s: alias %q must start with %q (key_alias, the key's name, is \"alias\")", k.ref(), name, service.AliasPrefix)
		}
		target, err := keys.ResolveKeyRef(ctx, c, name)
		if errors.Is(err, kmserr.KeyNotFound) {
			_, err = keys.CreateAlias(ctx, c, id, name)
			if errors.Is(err, kmserr.AliasExists) { // another node applying the same file won the race
				target, err = keys.ResolveKeyRef(ctx, c, name)
			} else if err == nil {
				target = id
			}
		}
		if err != nil {
			return fmt.Errorf("seed: key %s: alias %s: %w", k.ref(), name, err)
		}
		if target != id {
			return fmt.Errorf("seed: key %s: alias %s exists and points at key %s", k.ref(), name, target)
		}
	}
	return nil
}

func findKey(ctx context.Context, c domain.Caller, k Key, keys *service.Service) (domain.Key, error) {
	if k.ID != "" {
		return keys.DescribeKey(ctx, c, k.ID)
	}
	return keys.KeyByAlias(ctx, c, k.Alias)
}

func createKey(ctx context.Context, c domain.Caller, k Key, keys *service.Service) (domain.Key, error) {
	m, err := k.material()
	if err != nil {
		return domain.Key{}, err
	}
	spec := domain.KeySpec(k.Spec)
	if m != nil {
		if spec == "" {
			spec = domain.SpecAES256
		}
		if err := keycrypto.ValidateMaterial(spec, m); err != nil {
			return domain.Key{}, err
		}
	}
	return keys.CreateKey(ctx, c, service.NewKey{
		ID: k.ID, Alias: k.Alias, Spec: spec, Usage: domain.KeyUsage(k.Usage),
		Description: k.Description, Origin: domain.Origin(k.Origin),
		Default: domain.IsDefaultAlias(k.Alias), Material: m,
	})
}

func applyState(ctx context.Context, c domain.Caller, id string, k Key, keys *service.Service) error {
	var err error
	switch k.State {
	case "", "enabled", "2", "pending_import", "5":
	case "disabled", "3":
		_, err = keys.DisableKey(ctx, c, id)
	case "pending_deletion", "4":
		days := k.PendingDays
		if days == 0 {
			days = domain.MinPendingDays
		}
		_, err = keys.ScheduleDeletion(ctx, c, id, days)
	default:
		err = fmt.Errorf("unknown state %q", k.State)
	}
	return err
}
