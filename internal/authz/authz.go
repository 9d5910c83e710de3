// Package authz decides whether a caller may perform an action: one
// Decider, a chain of steps (IAM policy, ownership, grants) that every
// authorization in kmsd goes through.
//
// A decision is made twice per request: once by the request pipeline for
// the action alone (Key nil: only identity-level rules such as IAM policies
// apply), and once by the service with the resolved key (ownership and
// grants). Errors are *kmserr.Error values ready to render.
package authz

import (
	"context"
	"slices"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/op"
)

// Request is one question: may Caller perform Action (on Key)?
type Request struct {
	Caller domain.Caller
	Action op.Name
	// Key is the resolved key, nil for the action-level decision.
	Key *domain.Key
	// Grants are the grants on Key when the caller already has them (a
	// cached key); otherwise LoadGrants returns them. LoadGrants is called
	// at most once, and only when the caller does not own the key (a store
	// read the owner, the common case, never pays). Both nil: no grants.
	Grants     []domain.Grant
	LoadGrants func() ([]domain.Grant, error)
}

// grants returns r's grants, loading them if need be.
func (r Request) grants() ([]domain.Grant, error) {
	if r.LoadGrants != nil {
		return r.LoadGrants()
	}
	return r.Grants, nil
}

// Decider answers a Request: nil to allow, else the error to return.
type Decider interface {
	Decide(ctx context.Context, r Request) error
}

// Verdict is a step's answer.
type Verdict int

const (
	Abstain Verdict = iota // the step has no opinion; the next step decides
	Allow                  // allowed; later steps are not asked
)

// Step is one link of a Chain. It returns Allow, Abstain, or an error,
// which denies.
type Step interface {
	Check(ctx context.Context, r Request) (Verdict, error)
}

// Chain asks its steps in order. The first Allow or error ends the
// decision. If every step abstains, an action-level request (no Key) is
// allowed, and a key-level one is answered as if the key did not exist
// (KMS.0207), so that key ids do not leak across tenants.
type Chain []Step

// Decide implements Decider.
func (ch Chain) Decide(ctx context.Context, r Request) error {
	for _, s := range ch {
		v, err := s.Check(ctx, r)
		if err != nil {
			return err
		}
		if v == Allow {
			return nil
		}
	}
	if r.Key == nil {
		return nil
	}
	return kmserr.KeyNotFound
}

// Default is kmsd's decision chain: ownership, then grants, after the
// IAM-policy step when one is given (a node always gives one: IAMPolicy).
func Default(iam ...Step) Chain {
	return append(slices.Clone(iam), Ownership{}, Grants{})
}

// Ownership allows every action on a key to its project: the caller's
// project (and account) owns it.
type Ownership struct{}

// Owns reports whether c's project owns k.
func Owns(c domain.Caller, k *domain.Key) bool {
	return k.ProjectID == c.ProjectID && k.DomainID == c.DomainID
}

// Check implements Step.
func (Ownership) Check(_ context.Context, r Request) (Verdict, error) {
	if r.Key != nil && Owns(r.Caller, r.Key) {
		return Allow, nil
	}
	return Abstain, nil
}

// Grants allows a grantee exactly the operations its grants list. A
// grantee asking for another operation is refused with 403 KMS.0306;
// someone no grant names abstains (and the chain answers KMS.0207).
type Grants struct{}

// Check implements Step.
func (Grants) Check(_ context.Context, r Request) (Verdict, error) {
	if r.Key == nil {
		return Abstain, nil
	}
	gs, err := r.grants()
	if err != nil {
		return Abstain, kmserr.From(err)
	}
	related := false
	for _, g := range gs {
		if !IsGrantee(r.Caller, g) {
			continue
		}
		related = true
		if slices.Contains(g.Operations, string(r.Action)) {
			return Allow, nil
		}
	}
	if related {
		return Abstain, kmserr.NoKeyPermission.Msgf("The grant does not allow %s on this key.", r.Action)
	}
	return Abstain, nil
}

// IsGrantee reports whether g names c: the user, or the user's account.
func IsGrantee(c domain.Caller, g domain.Grant) bool {
	if g.GranteeType == domain.GranteeDomain {
		return g.GranteePrincipal == c.DomainID
	}
	return g.GranteePrincipal == c.UserID
}
