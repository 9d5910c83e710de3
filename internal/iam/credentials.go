package iam

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
)

// Secret is an unwrapped credential.
type Secret struct {
	Credential domain.Credential
	SecretKey  string
}

// AllowsProject reports whether the credential's own project list lets it
// act in project p; its user's list (domain.User.AllowsProject) applies too.
func (c Secret) AllowsProject(p domain.Project) bool {
	if p.DomainID != c.Credential.DomainID {
		return false
	}
	return len(c.Credential.ProjectIDs) == 0 || slices.Contains(c.Credential.ProjectIDs, p.ID)
}

func skAAD(ak string) []byte { return []byte("kmsd:secret-key:v1:" + ak) }

// CreateCredential creates an access key for a user, limited to projectIDs
// (empty: every project the user may use), which must be projects the user
// may use. ak and sk may be given (seeding, bootstrap); empty values are
// generated.
func (s *Service) CreateCredential(ctx context.Context, u domain.User, projectIDs []string, ak, sk string) (Secret, error) {
	for _, id := range projectIDs {
		if len(u.ProjectIDs) > 0 && !slices.Contains(u.ProjectIDs, id) {
			return Secret{}, fmt.Errorf("iam: user %q may not use project %s, so neither may its access keys", u.Name, id)
		}
	}
	sec, err := s.newCredential(ctx, u, projectIDs, ak, sk)
	if err != nil {
		return Secret{}, err
	}
	err = s.update(ctx, func(tx Tx) error { return tx.CreateCredential(ctx, sec.Credential) })
	if err != nil {
		return Secret{}, fmt.Errorf("iam: create credential: %w", err)
	}
	return sec, nil
}

// newCredential builds (without storing) a credential whose secret key is
// wrapped under the root key; empty ak and sk are generated.
func (s *Service) newCredential(ctx context.Context, u domain.User, projectIDs []string, ak, sk string) (Secret, error) {
	if ak == "" {
		ak = randomString(akAlphabet, 20)
	}
	if sk == "" {
		sk = randomString(skAlphabet, 40)
	}
	wrapped, err := s.root.Wrap(ctx, []byte(sk), skAAD(ak))
	if err != nil {
		return Secret{}, fmt.Errorf("iam: wrap secret key: %w", err)
	}
	c := domain.Credential{
		AccessKey: ak, WrappedSK: wrapped, RootKeyID: s.root.ID(), UserID: u.ID,
		DomainID: u.DomainID, ProjectIDs: projectIDs, CreatedAt: s.now(),
	}
	return Secret{Credential: c, SecretKey: sk}, nil
}

// CredentialCacheStats reports the lookups of access keys that the cache
// answered and those that went to the store, since start.
func (s *Service) CredentialCacheStats() (hits, misses uint64) {
	return s.secrets.hits.Load(), s.secrets.misses.Load()
}

// LookupSecret returns the credential and secret key of an access key,
// ErrUnknown if there is none. Found credentials are cached until the store
// reports a change to them (Watch); misses are not, so a credential created
// by another process is seen at once.
func (s *Service) LookupSecret(ctx context.Context, ak string) (Secret, error) {
	if sec, ok := s.secrets.get(ak); ok {
		return sec, nil
	}
	c, err := s.store.GetCredential(ctx, ak)
	if errors.Is(err, store.ErrNotFound) {
		return Secret{}, fmt.Errorf("%w: access key", ErrUnknown)
	}
	if err != nil {
		return Secret{}, fmt.Errorf("iam: get credential: %w", err)
	}
	sk, err := s.root.Unwrap(ctx, c.WrappedSK, skAAD(ak))
	if err != nil {
		return Secret{}, fmt.Errorf("iam: unwrap secret key: %w", err)
	}
	sec := Secret{Credential: c, SecretKey: string(sk)}
	s.secrets.put(ak, sec)
	return sec, nil
}
