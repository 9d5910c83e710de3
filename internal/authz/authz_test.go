package authz

import (
	"context"
	"errors"
	"testing"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/op"
)

var (
	owner   = domain.Caller{UserID: "u-owner", DomainID: "d1", ProjectID: "p1"}
	grantee = domain.Caller{UserID: "u-bob", DomainID: "d1", ProjectID: "p2"}
	account = domain.Caller{UserID: "u-carol", DomainID: "d2", ProjectID: "p3"}
	key     = &domain.Key{ID: "k", DomainID: "d1", ProjectID: "p1"}
)

func grantsOf(gs ...domain.Grant) func() ([]domain.Grant, error) {
	return func() ([]domain.Grant, error) { return gs, nil }
}

func code(err error) string {
	var e *kmserr.Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

func TestDefaultChain(t *testing.T) {
	userGrant := domain.Grant{GranteePrincipal: "u-bob", GranteeType: domain.GranteeUser,
		Operations: []string{string(op.EncryptData)}}
	domainGrant := domain.Grant{GranteePrincipal: "d2", GranteeType: domain.GranteeDomain,
		Operations: []string{string(op.DescribeKey)}}
	for _, tc := range []struct {
		name   string
		r      Request
		want   string
		loaded bool // whether LoadGrants may be called
	}{
		{"owner, any action", Request{Caller: owner, Action: op.ScheduleKeyDeletion, Key: key}, "", false},
		{"grantee, granted", Request{Caller: grantee, Action: op.EncryptData, Key: key, LoadGrants: grantsOf(userGrant)}, "", true},
		{"grantee, not granted", Request{Caller: grantee, Action: op.DecryptData, Key: key, LoadGrants: grantsOf(userGrant)}, "KMS.0306", true},
		{"grantee, a write", Request{Caller: grantee, Action: op.DisableKey, Key: key, LoadGrants: grantsOf(userGrant)}, "KMS.0306", true},
		{"account grant", Request{Caller: account, Action: op.DescribeKey, Key: key, LoadGrants: grantsOf(domainGrant)}, "", true},
		{"stranger", Request{Caller: account, Action: op.DescribeKey, Key: key, LoadGrants: grantsOf(userGrant)}, "KMS.0207", true},
		{"stranger, no grants", Request{Caller: account, Action: op.DescribeKey, Key: key}, "KMS.0207", false},
		{"grantee, grants at hand", Request{Caller: grantee, Action: op.EncryptData, Key: key, Grants: []domain.Grant{userGrant}}, "", false},
		{"grantee, grants at hand, not granted", Request{Caller: grantee, Action: op.DecryptData, Key: key, Grants: []domain.Grant{userGrant}}, "KMS.0306", false},
		{"action level", Request{Caller: account, Action: op.CreateKey}, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			called := false
			if g := tc.r.LoadGrants; g != nil {
				tc.r.LoadGrants = func() ([]domain.Grant, error) { called = true; return g() }
			}
			if got := code(Default().Decide(context.Background(), tc.r)); got != tc.want {
				t.Fatalf("decision %q, want %q", got, tc.want)
			}
			if called && !tc.loaded {
				t.Fatal("grants were loaded for the owner")
			}
		})
	}
}

type denyAll struct{}

func (denyAll) Check(context.Context, Request) (Verdict, error) {
	return Abstain, kmserr.NoAccess.Msgf("policy says no")
}

// An IAM step goes first: its denial holds even for the owner.
func TestPolicyStepGoesFirst(t *testing.T) {
	err := Default(denyAll{}).Decide(context.Background(), Request{Caller: owner, Action: op.EncryptData, Key: key})
	if code(err) != "KMS.0326" {
		t.Fatalf("owner under a deny policy: %v", err)
	}
}

func TestGrantLoadErrorIsAnError(t *testing.T) {
	boom := func() ([]domain.Grant, error) { return nil, errors.New("store down") }
	err := Default().Decide(context.Background(), Request{Caller: grantee, Action: op.EncryptData, Key: key, LoadGrants: boom})
	if err == nil || code(err) == "KMS.0207" {
		t.Fatalf("a failed grant read must not look like a missing key: %v", err)
	}
}
