package iam

import (
	"context"
	"errors"
	"fmt"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
)

// Bootstrap names the first identities. Empty fields are generated (names
// default to "admin" and region to "local-1").
type Bootstrap struct {
	Region    string
	Domain    string
	DomainID  string // fixed id of the account Domain when it is created
	User      string
	Password  string
	ProjectID string
	AccessKey string
	SecretKey string
}

// BootstrapResult is what a client needs to talk to kmsd.
type BootstrapResult struct {
	DomainID, DomainName, ProjectID, Region, UserName, AccessKey, SecretKey string
	// Password is set only when the user was created by this call (it is
	// never stored in clear, so it cannot be shown again).
	Password string
	// CredentialCreated reports whether this call created the bootstrap
	// access key (first start, or a fixed access key given for the first
	// time). Of nodes starting at once on one store, exactly one sees it.
	CredentialCreated bool
}

// BootstrapSetting is the store setting naming the bootstrap access key;
// a store that has it has been bootstrapped.
const BootstrapSetting = "bootstrap-access-key"

// EnsureBootstrap creates the bootstrap account, project, user (a member
// of the account's admin group) and access key on first start and returns
// them on every start (unwrapping the stored secret key).
func (s *Service) EnsureBootstrap(ctx context.Context, b Bootstrap) (BootstrapResult, error) {
	b = b.WithDefaults()
	a, err := s.EnsureAccount(ctx, b.Domain, b.DomainID)
	if err != nil {
		return BootstrapResult{}, err
	}
	p, err := s.EnsureProject(ctx, a, b.Region, b.ProjectID)
	if err != nil {
		return BootstrapResult{}, err
	}
	if b.Password == "" {
		b.Password = randomString(skAlphabet, 24)
	}
	u, created, err := s.EnsureUser(ctx, a, b.User, b.Password, nil)
	if err != nil {
		return BootstrapResult{}, err
	}
	g, groupCreated, err := s.EnsureGroup(ctx, a.ID, domain.AdminGroup)
	if err != nil {
		return BootstrapResult{}, err
	}
	if created || groupCreated { // an operator who later takes the user out is not overruled
		if err := s.AddUserToGroup(ctx, a.ID, g.ID, u.ID); err != nil {
			return BootstrapResult{}, err
		}
	}
	res := BootstrapResult{DomainID: a.ID, DomainName: a.Name, ProjectID: p.ID, Region: p.Name, UserName: u.Name}
	if created {
		res.Password = b.Password
	}
	sec, created, err := s.bootstrapCredential(ctx, b, u)
	if err != nil {
		return BootstrapResult{}, err
	}
	res.AccessKey, res.SecretKey, res.CredentialCreated = sec.Credential.AccessKey, sec.SecretKey, created
	return res, nil
}

// WithDefaults returns b with the default names of what it leaves empty.
func (b Bootstrap) WithDefaults() Bootstrap {
	if b.Region == "" {
		b.Region = "local-1"
	}
	if b.Domain == "" {
		b.Domain = "admin"
	}
	if b.User == "" {
		b.User = "admin"
	}
	return b
}

// bootstrapCredential returns the bootstrap access key, creating it once,
// and whether this call created it. A fixed AK/SK given on a later start is
// added if it does not exist yet.
// Nodes starting at once on one store end with one credential: a fixed
// access key is unique, and a generated one is created in the same
// transaction as the setting that names it, which only the first node may
// write.
func (s *Service) bootstrapCredential(ctx context.Context, b Bootstrap, u domain.User) (Secret, bool, error) {
	if b.AccessKey == "" {
		return s.generatedBootstrapCredential(ctx, u)
	}
	sec, err := s.LookupSecret(ctx, b.AccessKey)
	created := false
	if errors.Is(err, ErrUnknown) {
		sec, err = s.CreateCredential(ctx, u, nil, b.AccessKey, b.SecretKey)
		created = err == nil
		if errors.Is(err, store.ErrExists) { // created concurrently by another node
			sec, err = s.LookupSecret(ctx, b.AccessKey)
		}
	}
	if err != nil {
		return Secret{}, false, err
	}
	if b.SecretKey != "" && sec.SecretKey != b.SecretKey {
		return Secret{}, false, fmt.Errorf("iam: access key %s already exists with another secret key", b.AccessKey)
	}
	if !created {
		return sec, false, nil
	}
	err = s.update(ctx, func(tx Tx) error {
		return tx.PutSetting(ctx, BootstrapSetting, []byte(sec.Credential.AccessKey), false)
	})
	return sec, err == nil, err
}

// generatedBootstrapCredential returns the credential the bootstrap setting
// names, creating both on first start, and whether this call created them.
func (s *Service) generatedBootstrapCredential(ctx context.Context, u domain.User) (Secret, bool, error) {
	stored, err := s.store.GetSetting(ctx, BootstrapSetting)
	if err == nil {
		sec, err := s.LookupSecret(ctx, string(stored))
		return sec, false, err
	}
	if !errors.Is(err, store.ErrNotFound) {
		return Secret{}, false, err
	}
	sec, err := s.newCredential(ctx, u, nil, "", "")
	if err != nil {
		return Secret{}, false, err
	}
	err = s.update(ctx, func(tx Tx) error {
		if err := tx.PutSetting(ctx, BootstrapSetting, []byte(sec.Credential.AccessKey), true); err != nil {
			return err
		}
		return tx.CreateCredential(ctx, sec.Credential)
	})
	if errors.Is(err, store.ErrExists) { // another node created it first
		if stored, err = s.store.GetSetting(ctx, BootstrapSetting); err != nil {
			return Secret{}, false, err
		}
		sec, err := s.LookupSecret(ctx, string(stored))
		return sec, false, err
	}
	return sec, err == nil, err
}
