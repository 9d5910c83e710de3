package iam

import (
	"context"
	"errors"
	"testing"

	"github.com/kmsd/kmsd/internal/authz"
	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/iampolicy"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/op"
)

// fixture is a bootstrapped service with a user "dev" in group "devs".
type fixture struct {
	s          *Service
	boot       BootstrapResult
	admin, dev domain.User
	devs       domain.Group
}

func newFixture(t testing.TB) fixture {
	t.Helper()
	ctx := context.Background()
	s := newTestService(t)
	boot, err := s.EnsureBootstrap(ctx, Bootstrap{Password: "Admin-pass-1"})
	if err != nil {
		t.Fatal(err)
	}
	admin, err := s.store.GetUserByName(ctx, boot.DomainID, "admin")
	if err != nil {
		t.Fatal(err)
	}
	dev, err := s.CreateUser(ctx, boot.DomainID, UserSpec{Name: "dev"})
	if err != nil {
		t.Fatal(err)
	}
	devs, err := s.CreateGroup(ctx, boot.DomainID, "devs", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddUserToGroup(ctx, boot.DomainID, devs.ID, dev.ID); err != nil {
		t.Fatal(err)
	}
	return fixture{s: s, boot: boot, admin: admin, dev: dev, devs: devs}
}

func (f fixture) decide(u domain.User, n op.Name) error {
	c := domain.Caller{UserID: u.ID, DomainID: u.DomainID, ProjectID: f.boot.ProjectID, Region: f.boot.Region}
	return authz.Default(authz.IAMPolicy{Source: f.s}).Decide(context.Background(), authz.Request{Caller: c, Action: n})
}

// TestEffectivePolicies: the bootstrap user administers its account; a
// user's permissions are its groups' grants on the project and on the
// account, follow every change at once (the cache is dropped), and a Deny
// wins.
func TestEffectivePolicies(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	if err := f.decide(f.admin, op.CreateKey); err != nil {
		t.Fatalf("admin create-key: %v", err)
	}
	if err := f.decide(f.dev, op.ListKeys); !errors.Is(err, kmserr.NoRolePermission) {
		t.Fatalf("dev without grants: %v", err)
	}
	ro := iampolicy.SystemRoles()[3]
	onProject := Scope{DomainID: f.boot.DomainID, Project: f.boot.ProjectID}
	if err := f.s.Grant(ctx, onProject, f.devs.ID, ro.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.decide(f.dev, op.ListKeys); err != nil {
		t.Fatalf("dev with %s: %v", ro.DisplayName, err)
	}
	if err := f.decide(f.dev, op.CreateKey); !errors.Is(err, kmserr.NoRolePermission) {
		t.Fatalf("dev read-only create-key: %v", err)
	}
	doc, _ := iampolicy.Parse([]byte(`{"Version":"1.1","Statement":[{"Effect":"Deny","Action":["kms:cmk:list"]}]}`))
	p, err := f.s.CreateCustomPolicy(ctx, f.boot.DomainID, "no list", "XA", "", doc)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.Grant(ctx, Scope{DomainID: f.boot.DomainID}, f.devs.ID, p.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.decide(f.dev, op.ListKeys); !errors.Is(err, kmserr.NoRolePermission) {
		t.Fatalf("dev with an account-wide Deny: %v", err)
	}
	if err := f.s.RemoveUserFromGroup(ctx, f.boot.DomainID, f.devs.ID, f.dev.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.s.AddUserToGroup(ctx, f.boot.DomainID, f.boot.adminGroup(t, f.s), f.dev.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.decide(f.dev, op.ListKeys); err != nil {
		t.Fatalf("dev in the admin group: %v", err)
	}
}

// TestLastAdmin: the last enabled member of the admin group can be
// neither deleted, disabled nor removed from it; with a second one, it can.
func TestLastAdmin(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	off := false
	g := f.boot.adminGroup(t, f.s)
	for name, err := range map[string]error{
		"delete": f.s.DeleteUser(ctx, f.boot.DomainID, f.admin.ID),
		"disable": func() error {
			_, err := f.s.UpdateUser(ctx, f.boot.DomainID, f.admin.ID, UserPatch{Enabled: &off})
			return err
		}(),
		"remove": f.s.RemoveUserFromGroup(ctx, f.boot.DomainID, g, f.admin.ID),
	} {
		if !errors.Is(err, kmserr.IAMLastAdmin) {
			t.Errorf("%s the last admin: %v", name, err)
		}
	}
	if err := f.s.AddUserToGroup(ctx, f.boot.DomainID, g, f.dev.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.s.RemoveUserFromGroup(ctx, f.boot.DomainID, g, f.admin.ID); err != nil {
		t.Fatalf("remove an admin with another left: %v", err)
	}
}

func (b BootstrapResult) adminGroup(t testing.TB, s *Service) string {
	t.Helper()
	gs, err := s.Groups(context.Background(), b.DomainID, domain.AdminGroup)
	if err != nil || len(gs) != 1 {
		t.Fatalf("admin group: %v %v", gs, err)
	}
	return gs[0].ID
}

// BenchmarkIAMStep measures the IAM-policy step of a data-plane request
// from the cache: an administrator, and a user with a custom policy naming
// its key.
func BenchmarkIAMStep(b *testing.B) {
	ctx := context.Background()
	f := newFixture(b)
	doc, _ := iampolicy.Parse([]byte(`{"Version":"1.1","Statement":[{"Effect":"Allow",
		"Action":["kms:cmk:encrypt*"],"Resource":["KMS:*:*:KeyId:0123456789abcdef"]}]}`))
	p, err := f.s.CreateCustomPolicy(ctx, f.boot.DomainID, "crypto", "XA", "", doc)
	if err != nil {
		b.Fatal(err)
	}
	if err := f.s.Grant(ctx, Scope{DomainID: f.boot.DomainID}, f.devs.ID, p.ID); err != nil {
		b.Fatal(err)
	}
	key := &domain.Key{ID: "0123456789abcdef", DomainID: f.boot.DomainID, ProjectID: f.boot.ProjectID}
	step := authz.IAMPolicy{Source: f.s}
	for _, u := range []domain.User{f.admin, f.dev} {
		b.Run(u.Name, func(b *testing.B) {
			c := domain.Caller{UserID: u.ID, DomainID: u.DomainID, ProjectID: f.boot.ProjectID, Region: f.boot.Region}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := step.Check(ctx, authz.Request{Caller: c, Action: op.EncryptData, Key: key}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
