// Package iam is kmsd's identity service: accounts (Huawei "domains"),
// projects (one per region name), users with passwords, permanent access
// keys, user groups, custom policies and the permissions granted to
// groups, each caller's effective policies (cached), plus the first-start
// bootstrap. Secret keys and the
// token-signing key are stored only wrapped under the root key.
package iam

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/limit"
	"github.com/kmsd/kmsd/internal/rootkey"
	"github.com/kmsd/kmsd/internal/store"
)

// ErrUnknown is returned (wrapped) for unknown access keys, users, projects
// and wrong passwords.
var ErrUnknown = errors.New("iam: unknown identity")

// Options configure a Service.
type Options struct {
	Store Store
	Root  rootkey.RootKey
	Clock func() time.Time // default time.Now
	// Expensive bounds concurrent password hashes (logins, new users); nil
	// means no bound. A login refused by it fails with limit.ErrBusy.
	Expensive *limit.Gate
	// Lockout is the password lockout policy; it reads Clock.
	Lockout Lockout
}

// Service manages identities. It is safe for concurrent use.
type Service struct {
	store   Store
	root    rootkey.RootKey
	clock   func() time.Time
	gate    *limit.Gate
	lockout Lockout

	secrets  *identityCache[Secret]         // access key -> unwrapped credential
	projects *identityCache[domain.Project] // id -> project
	users    *identityCache[domain.User]    // id -> user
	perms    *permCache                     // (user, project) -> effective policies
}

// New returns an identity service.
func New(o Options) *Service {
	if o.Clock == nil {
		o.Clock = time.Now
	}
	return &Service{store: o.Store, root: o.Root, clock: o.Clock, gate: o.Expensive, lockout: o.Lockout.withDefaults(),
		secrets: newIdentityCache[Secret](time.Now), projects: newIdentityCache[domain.Project](time.Now),
		users: newIdentityCache[domain.User](time.Now), perms: newPermCache(time.Now)}
}

func (s *Service) now() time.Time { return s.clock().UTC().Truncate(time.Millisecond) }

// newID returns 32 lowercase hex characters, the shape of Huawei account,
// project and user ids.
func newID() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails since Go 1.24
	return hex.EncodeToString(b)
}

const akAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
const skAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// randomString returns n characters drawn uniformly from alphabet.
func randomString(alphabet string, n int) string {
	out := make([]byte, n)
	for i := range out {
		out[i] = alphabet[randIndex(len(alphabet))]
	}
	return string(out)
}

func randIndex(n int) int {
	var b [1]byte
	limit := 256 - 256%n // rejection sampling: no modulo bias
	for {
		rand.Read(b[:])
		if int(b[0]) < limit {
			return int(b[0]) % n
		}
	}
}

// Projects returns the projects of an account, optionally only those named
// name.
func (s *Service) Projects(ctx context.Context, domainID, name string) ([]domain.Project, error) {
	ps, err := s.store.ListProjects(ctx, domainID, name)
	if err != nil {
		return nil, fmt.Errorf("iam: list projects: %w", err)
	}
	return ps, nil
}

// Project returns a project by id (ErrUnknown if absent). Found projects
// are cached: they never change.
func (s *Service) Project(ctx context.Context, id string) (domain.Project, error) {
	if p, ok := s.projects.get(id); ok {
		return p, nil
	}
	p, err := s.store.GetProject(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return p, fmt.Errorf("%w: project %q", ErrUnknown, id)
	}
	if err != nil {
		return p, err
	}
	s.projects.put(id, p)
	return p, nil
}

// Account returns an account by id.
func (s *Service) Account(ctx context.Context, id string) (domain.Account, error) {
	return s.store.GetAccount(ctx, id)
}
