package storetest

import (
	"testing"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
)

// testUserLifecycle: users are listed by name, updated (disabled, token
// epoch, description, name) and deleted with their access keys and
// memberships, each change reported by Watch.
func testUserLifecycle(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	ch := s.Watch(e.ctx)
	bob := domain.User{ID: newID(), Name: "bob", DomainID: e.acct.ID, PasswordHash: "h1", CreatedAt: base}
	amy := domain.User{ID: newID(), Name: "amy", DomainID: e.acct.ID, PasswordHash: "h2", Description: "d", CreatedAt: base}
	g := domain.Group{ID: newID(), DomainID: e.acct.ID, Name: "ops", CreatedAt: base}
	c := domain.Credential{AccessKey: "AK" + newID()[:18], WrappedSK: []byte{1}, RootKeyID: "r", UserID: bob.ID,
		DomainID: e.acct.ID, CreatedAt: base}
	e.do(func(tx store.Tx) error {
		return firstErr(tx.CreateUser(e.ctx, bob), tx.CreateUser(e.ctx, amy), tx.CreateGroup(e.ctx, g),
			tx.CreateCredential(e.ctx, c), tx.AddGroupMember(e.ctx, g.ID, bob.ID))
	})
	bob.CreatedAt, amy.CreatedAt = ms(base), ms(base)
	users, err := s.ListUsers(e.ctx, e.acct.ID)
	noErr(t, err, "ListUsers")
	equal(t, users, []domain.User{amy, bob}, "ListUsers ordered by name")

	bob.Disabled, bob.TokenEpoch, bob.Description, bob.PasswordHash = true, 3, "away", "h3"
	e.do(func(tx store.Tx) error { return tx.UpdateUser(e.ctx, bob) })
	await(t, ch, store.Change{Kind: store.ChangeUser, ID: bob.ID}, nil)
	got, err := s.GetUser(e.ctx, bob.ID)
	noErr(t, err, "GetUser after UpdateUser")
	equal(t, got, bob, "GetUser after UpdateUser")
	isErr(t, e.txErr(func(tx store.Tx) error {
		u := bob
		u.Name = "amy"
		return tx.UpdateUser(e.ctx, u)
	}), store.ErrExists, "UpdateUser to a taken name")
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.UpdateUser(e.ctx, domain.User{ID: newID()}) }),
		store.ErrNotFound, "UpdateUser unknown")

	e.do(func(tx store.Tx) error { return tx.DeleteUser(e.ctx, bob.ID) })
	await(t, ch, store.Change{Kind: store.ChangeCredential, ID: c.AccessKey}, nil)
	_, err = s.GetUser(e.ctx, bob.ID)
	isErr(t, err, store.ErrNotFound, "GetUser after DeleteUser")
	_, err = s.GetCredential(e.ctx, c.AccessKey)
	isErr(t, err, store.ErrNotFound, "GetCredential of a deleted user")
	members, err := s.ListGroupMembers(e.ctx, g.ID)
	noErr(t, err, "ListGroupMembers")
	if len(members) != 0 {
		t.Errorf("members after DeleteUser: %v", members)
	}
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.DeleteUser(e.ctx, bob.ID) }), store.ErrNotFound, "DeleteUser again")
}

// testCredentialLifecycle: access keys are listed per user, deactivated,
// described and deleted, each change reported by Watch.
func testCredentialLifecycle(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	ch := s.Watch(e.ctx)
	u := domain.User{ID: newID(), Name: "svc", DomainID: e.acct.ID, PasswordHash: "x", CreatedAt: base}
	c1 := domain.Credential{AccessKey: "AK" + newID()[:18], WrappedSK: []byte{1}, RootKeyID: "r", UserID: u.ID,
		DomainID: e.acct.ID, Description: "first", CreatedAt: base}
	c2 := c1
	c2.AccessKey, c2.Description, c2.CreatedAt = "AK"+newID()[:18], "", base.Add(1e9)
	e.do(func(tx store.Tx) error {
		return firstErr(tx.CreateUser(e.ctx, u), tx.CreateCredential(e.ctx, c2), tx.CreateCredential(e.ctx, c1))
	})
	c1.CreatedAt, c2.CreatedAt = ms(c1.CreatedAt), ms(c2.CreatedAt)
	list, err := s.ListCredentials(e.ctx, u.ID)
	noErr(t, err, "ListCredentials")
	equal(t, list, []domain.Credential{c1, c2}, "ListCredentials by creation time")

	c1.Inactive, c1.Description = true, "off"
	e.do(func(tx store.Tx) error { return tx.UpdateCredential(e.ctx, c1) })
	await(t, ch, store.Change{Kind: store.ChangeCredential, ID: c1.AccessKey}, nil)
	got, err := s.GetCredential(e.ctx, c1.AccessKey)
	noErr(t, err, "GetCredential after UpdateCredential")
	equal(t, got, c1, "GetCredential after UpdateCredential")

	e.do(func(tx store.Tx) error { return tx.DeleteCredential(e.ctx, c2.AccessKey) })
	await(t, ch, store.Change{Kind: store.ChangeCredential, ID: c2.AccessKey}, nil)
	_, err = s.GetCredential(e.ctx, c2.AccessKey)
	isErr(t, err, store.ErrNotFound, "GetCredential after DeleteCredential")
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.DeleteCredential(e.ctx, c2.AccessKey) }),
		store.ErrNotFound, "DeleteCredential again")
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.UpdateCredential(e.ctx, c2) }),
		store.ErrNotFound, "UpdateCredential of a deleted key")
}

// testGroups: groups are unique by name in an account; members are added
// idempotently, listed both ways and removed; deleting a group removes its
// memberships and assignments. Changes report ChangePermissions.
func testGroups(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	ch := s.Watch(e.ctx)
	u := domain.User{ID: newID(), Name: "u", DomainID: e.acct.ID, PasswordHash: "x", CreatedAt: base}
	gb := domain.Group{ID: newID(), DomainID: e.acct.ID, Name: "b", Description: "bee", CreatedAt: base}
	ga := domain.Group{ID: newID(), DomainID: e.acct.ID, Name: "a", CreatedAt: base}
	e.do(func(tx store.Tx) error {
		return firstErr(tx.CreateUser(e.ctx, u), tx.CreateGroup(e.ctx, gb), tx.CreateGroup(e.ctx, ga))
	})
	await(t, ch, store.Change{Kind: store.ChangePermissions, ID: e.acct.ID}, nil)
	ga.CreatedAt, gb.CreatedAt = ms(base), ms(base)
	got, err := s.GetGroup(e.ctx, gb.ID)
	noErr(t, err, "GetGroup")
	equal(t, got, gb, "GetGroup")
	gs, err := s.ListGroups(e.ctx, e.acct.ID)
	noErr(t, err, "ListGroups")
	equal(t, gs, []domain.Group{ga, gb}, "ListGroups by name")
	isErr(t, e.txErr(func(tx store.Tx) error {
		return tx.CreateGroup(e.ctx, domain.Group{ID: newID(), DomainID: e.acct.ID, Name: "a"})
	}), store.ErrExists, "CreateGroup same name")

	for range 2 { // the second add is a no-op
		e.do(func(tx store.Tx) error {
			return firstErr(tx.AddGroupMember(e.ctx, ga.ID, u.ID), tx.AddGroupMember(e.ctx, gb.ID, u.ID))
		})
	}
	members, err := s.ListGroupMembers(e.ctx, ga.ID)
	noErr(t, err, "ListGroupMembers")
	equal(t, members, []string{u.ID}, "ListGroupMembers")
	gs, err = s.ListUserGroups(e.ctx, u.ID)
	noErr(t, err, "ListUserGroups")
	equal(t, gs, []domain.Group{ga, gb}, "ListUserGroups")
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.AddGroupMember(e.ctx, ga.ID, newID()) }),
		store.ErrNotFound, "AddGroupMember unknown user")
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.AddGroupMember(e.ctx, newID(), u.ID) }),
		store.ErrNotFound, "AddGroupMember unknown group")

	e.do(func(tx store.Tx) error {
		return firstErr(tx.LockAccount(e.ctx, e.acct.ID), tx.LockUser(e.ctx, u.ID), tx.LockGroup(e.ctx, ga.ID))
	})
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.LockAccount(e.ctx, newID()) }), store.ErrNotFound, "LockAccount unknown")
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.LockUser(e.ctx, newID()) }), store.ErrNotFound, "LockUser unknown")
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.LockGroup(e.ctx, newID()) }), store.ErrNotFound, "LockGroup unknown")
	e.do(func(tx store.Tx) error { return tx.RemoveGroupMember(e.ctx, ga.ID, u.ID) })
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.RemoveGroupMember(e.ctx, ga.ID, u.ID) }),
		store.ErrNotFound, "RemoveGroupMember again")
	gs, _ = s.ListUserGroups(e.ctx, u.ID)
	equal(t, gs, []domain.Group{gb}, "ListUserGroups after RemoveGroupMember")

	a := domain.Assignment{GroupID: gb.ID, RoleID: "r1", ProjectID: e.proj.ID}
	e.do(func(tx store.Tx) error { return firstErr(tx.PutAssignment(e.ctx, a), tx.DeleteGroup(e.ctx, gb.ID)) })
	_, err = s.GetGroup(e.ctx, gb.ID)
	isErr(t, err, store.ErrNotFound, "GetGroup after DeleteGroup")
	gs, _ = s.ListUserGroups(e.ctx, u.ID)
	if len(gs) != 0 {
		t.Errorf("ListUserGroups after DeleteGroup: %v", gs)
	}
	as, err := s.ListAssignments(e.ctx, gb.ID)
	noErr(t, err, "ListAssignments of a deleted group")
	if len(as) != 0 {
		t.Errorf("assignments of a deleted group: %v", as)
	}
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.DeleteGroup(e.ctx, gb.ID) }), store.ErrNotFound, "DeleteGroup again")
}

// testPoliciesAndAssignments: custom policies are unique by display name
// in an account; assignments are idempotent, listed account-wide first, and
// go with their policy.
func testPoliciesAndAssignments(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	ch := s.Watch(e.ctx)
	g := domain.Group{ID: newID(), DomainID: e.acct.ID, Name: "g", CreatedAt: base}
	p := domain.Policy{ID: newID(), DomainID: e.acct.ID, DisplayName: "crypto", Type: "XA", Description: "d",
		Document: `{"Version":"1.1","Statement":[]}`, CreatedAt: base}
	e.do(func(tx store.Tx) error { return firstErr(tx.CreateGroup(e.ctx, g), tx.CreatePolicy(e.ctx, p)) })
	p.CreatedAt = ms(base)
	got, err := s.GetPolicy(e.ctx, p.ID)
	noErr(t, err, "GetPolicy")
	equal(t, got, p, "GetPolicy")
	ps, err := s.ListPolicies(e.ctx, e.acct.ID)
	noErr(t, err, "ListPolicies")
	equal(t, ps, []domain.Policy{p}, "ListPolicies")
	isErr(t, e.txErr(func(tx store.Tx) error {
		q := p
		q.ID = newID()
		return tx.CreatePolicy(e.ctx, q)
	}), store.ErrExists, "CreatePolicy same display name")

	onProject := domain.Assignment{GroupID: g.ID, RoleID: p.ID, ProjectID: e.proj.ID}
	onDomain := domain.Assignment{GroupID: g.ID, RoleID: "system-role", ProjectID: ""}
	for range 2 {
		e.do(func(tx store.Tx) error {
			return firstErr(tx.PutAssignment(e.ctx, onProject), tx.PutAssignment(e.ctx, onDomain))
		})
	}
	await(t, ch, store.Change{Kind: store.ChangePermissions, ID: e.acct.ID}, nil)
	as, err := s.ListAssignments(e.ctx, g.ID)
	noErr(t, err, "ListAssignments")
	equal(t, as, []domain.Assignment{onDomain, onProject}, "ListAssignments account-wide first")
	isErr(t, e.txErr(func(tx store.Tx) error {
		return tx.PutAssignment(e.ctx, domain.Assignment{GroupID: newID(), RoleID: "x"})
	}), store.ErrNotFound, "PutAssignment unknown group")

	e.do(func(tx store.Tx) error { return tx.DeleteAssignment(e.ctx, onDomain) })
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.DeleteAssignment(e.ctx, onDomain) }),
		store.ErrNotFound, "DeleteAssignment again")
	e.do(func(tx store.Tx) error { return tx.DeletePolicy(e.ctx, p.ID) })
	as, _ = s.ListAssignments(e.ctx, g.ID)
	if len(as) != 0 {
		t.Errorf("assignments after DeletePolicy: %v", as)
	}
	_, err = s.GetPolicy(e.ctx, p.ID)
	isErr(t, err, store.ErrNotFound, "GetPolicy after DeletePolicy")
}

// firstErr returns the first non-nil error.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
