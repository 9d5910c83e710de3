package authz

import (
	"context"

	"github.com/kmsd/kmsd/internal/iampolicy"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/op"
)

// PolicySource gives the effective IAM policies of a user in a project,
// from cached state (package iam).
type PolicySource interface {
	Policies(ctx context.Context, userID, projectID string) (*iampolicy.Set, error)
}

// IAMPolicy is the IAM-policy step: it enforces the caller's identity
// policies (Huawei IAM) on every KMS operation, by the operation's IAM
// action and its legacy aliases (internal/op).
//
//   - An explicit Deny that matches refuses (403 KMS.0307), whoever owns
//     the key.
//   - At the action level (no key), an Allow for the action on any
//     resource lets the request on; no Allow refuses.
//   - At the key level, an Allow that matches the key lets ownership and
//     grants decide. None refuses the key's own account; a caller of
//     another account is left to its grants.
//
// It never returns Allow: ownership and grants still apply after it.
type IAMPolicy struct{ Source PolicySource }

// actions is every operation's IAM action followed by its aliases.
var actions = func() map[op.Name][]string {
	m := map[op.Name][]string{}
	for _, o := range op.All() {
		if o.IAMAction != "" {
			m[o.Name] = append([]string{o.IAMAction}, o.IAMAliases()...)
		}
	}
	return m
}()

// Check implements Step.
func (p IAMPolicy) Check(ctx context.Context, r Request) (Verdict, error) {
	as := actions[r.Action]
	if len(as) == 0 || r.Caller.UserID == "" {
		return Abstain, nil
	}
	set, err := p.Source.Policies(ctx, r.Caller.UserID, r.Caller.ProjectID)
	if err != nil {
		return Abstain, kmserr.From(err)
	}
	if set.AllowsAll() {
		return Abstain, nil
	}
	var res iampolicy.Resource
	if r.Key != nil {
		res = iampolicy.Resource{Region: r.Caller.Region, Account: r.Key.DomainID, KeyID: r.Key.ID}
	}
	switch set.Decide(as, res) {
	case iampolicy.Allow:
		return Abstain, nil
	case iampolicy.Deny:
		return Abstain, kmserr.NoRolePermission.Msgf("An IAM policy denies %s.", as[0])
	}
	if r.Key != nil && !Owns(r.Caller, r.Key) {
		return Abstain, nil
	}
	return Abstain, kmserr.NoRolePermission.Msgf("No IAM policy allows %s.", as[0])
}
