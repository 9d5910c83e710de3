package sqlstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
)

const groupCols = "id, domain_id, name, description, created_at"

func scanGroup(s scanner) (domain.Group, error) {
	var g domain.Group
	var created int64
	if err := s.Scan(&g.ID, &g.DomainID, &g.Name, &g.Description, &created); err != nil {
		return domain.Group{}, err
	}
	g.CreatedAt = fromMS(created)
	return g, nil
}

// GetGroup implements [store.Reader].
func (r *reader) GetGroup(ctx context.Context, id string) (domain.Group, error) {
	g, err := scanGroup(r.q.QueryRowContext(ctx, r.d.rebind("SELECT "+groupCols+" FROM iam_groups WHERE id = ?"), id))
	if err != nil {
		return domain.Group{}, readErr(err, "get", fmt.Sprintf("group %q", id))
	}
	return g, nil
}

// ListGroups implements [store.Reader].
func (r *reader) ListGroups(ctx context.Context, domainID string) ([]domain.Group, error) {
	return list(ctx, r, "list groups", "SELECT "+groupCols+" FROM iam_groups WHERE domain_id = ? ORDER BY name",
		[]any{domainID}, scanGroup)
}

// ListGroupMembers implements [store.Reader].
func (r *reader) ListGroupMembers(ctx context.Context, groupID string) ([]string, error) {
	return list(ctx, r, "list group members", "SELECT user_id FROM iam_group_members WHERE group_id = ? ORDER BY user_id",
		[]any{groupID}, func(s scanner) (string, error) {
			var id string
			err := s.Scan(&id)
			return id, err
		})
}

// ListUserGroups implements [store.Reader].
func (r *reader) ListUserGroups(ctx context.Context, userID string) ([]domain.Group, error) {
	return list(ctx, r, "list user groups", "SELECT g.id, g.domain_id, g.name, g.description, g.created_at "+
		"FROM iam_groups g JOIN iam_group_members m ON m.group_id = g.id WHERE m.user_id = ? ORDER BY g.name",
		[]any{userID}, scanGroup)
}

// CreateGroup implements [store.Tx].
func (t *Tx) CreateGroup(ctx context.Context, g domain.Group) error {
	_, err := t.execChecked(ctx, "INSERT INTO iam_groups ("+groupCols+") VALUES (?, ?, ?, ?, ?)",
		g.ID, g.DomainID, g.Name, g.Description, ms(g.CreatedAt))
	if err != nil {
		return t.d.writeErr(err, "create", fmt.Sprintf("group %q (%q in domain %q)", g.ID, g.Name, g.DomainID))
	}
	t.record(store.ChangePermissions, g.DomainID)
	return nil
}

// DeleteGroup implements [store.Tx].
func (t *Tx) DeleteGroup(ctx context.Context, id string) error {
	g, err := t.GetGroup(ctx, id)
	if err != nil {
		return err
	}
	for _, q := range []string{"DELETE FROM iam_group_members WHERE group_id = ?",
		"DELETE FROM iam_assignments WHERE group_id = ?", "DELETE FROM iam_groups WHERE id = ?"} {
		if _, err := t.exec(ctx, q, id); err != nil {
			return fmt.Errorf("store: delete group %q: %w", id, err)
		}
	}
	t.record(store.ChangePermissions, g.DomainID)
	return nil
}

// AddGroupMember implements [store.Tx].
func (t *Tx) AddGroupMember(ctx context.Context, groupID, userID string) error {
	g, err := t.GetGroup(ctx, groupID)
	if err != nil {
		return err
	}
	if _, err := t.GetUser(ctx, userID); err != nil {
		return err
	}
	_, err = t.execChecked(ctx, "INSERT INTO iam_group_members (group_id, user_id) VALUES (?, ?)", groupID, userID)
	if err != nil { // a member already (perhaps added by another node just now) is not an error
		if err = t.d.writeErr(err, "add", fmt.Sprintf("member %q of group %q", userID, groupID)); !errors.Is(err, store.ErrExists) {
			return err
		}
	}
	t.record(store.ChangePermissions, g.DomainID)
	return nil
}

// RemoveGroupMember implements [store.Tx].
func (t *Tx) RemoveGroupMember(ctx context.Context, groupID, userID string) error {
	g, err := t.GetGroup(ctx, groupID)
	if err != nil {
		return err
	}
	what := fmt.Sprintf("member %q of group %q", userID, groupID)
	res, err := t.exec(ctx, "DELETE FROM iam_group_members WHERE group_id = ? AND user_id = ?", groupID, userID)
	if err != nil {
		return fmt.Errorf("store: remove %s: %w", what, err)
	}
	if err := mustAffect(res, "remove", what); err != nil {
		return err
	}
	t.record(store.ChangePermissions, g.DomainID)
	return nil
}

const policyCols = "id, domain_id, display_name, type, description, document, created_at"

func scanPolicy(s scanner) (domain.Policy, error) {
	var p domain.Policy
	var created int64
	if err := s.Scan(&p.ID, &p.DomainID, &p.DisplayName, &p.Type, &p.Description, &p.Document, &created); err != nil {
		return domain.Policy{}, err
	}
	p.CreatedAt = fromMS(created)
	return p, nil
}

// GetPolicy implements [store.Reader].
func (r *reader) GetPolicy(ctx context.Context, id string) (domain.Policy, error) {
	p, err := scanPolicy(r.q.QueryRowContext(ctx, r.d.rebind("SELECT "+policyCols+" FROM iam_policies WHERE id = ?"), id))
	if err != nil {
		return domain.Policy{}, readErr(err, "get", fmt.Sprintf("policy %q", id))
	}
	return p, nil
}

// ListPolicies implements [store.Reader].
func (r *reader) ListPolicies(ctx context.Context, domainID string) ([]domain.Policy, error) {
	return list(ctx, r, "list policies", "SELECT "+policyCols+" FROM iam_policies WHERE domain_id = ? ORDER BY display_name",
		[]any{domainID}, scanPolicy)
}

// CreatePolicy implements [store.Tx].
func (t *Tx) CreatePolicy(ctx context.Context, p domain.Policy) error {
	_, err := t.execChecked(ctx, "INSERT INTO iam_policies ("+policyCols+") VALUES (?, ?, ?, ?, ?, ?, ?)",
		p.ID, p.DomainID, p.DisplayName, p.Type, p.Description, p.Document, ms(p.CreatedAt))
	if err != nil {
		return t.d.writeErr(err, "create", fmt.Sprintf("policy %q (%q in domain %q)", p.ID, p.DisplayName, p.DomainID))
	}
	t.record(store.ChangePermissions, p.DomainID)
	return nil
}

// DeletePolicy implements [store.Tx].
func (t *Tx) DeletePolicy(ctx context.Context, id string) error {
	p, err := t.GetPolicy(ctx, id)
	if err != nil {
		return err
	}
	for _, q := range []string{"DELETE FROM iam_assignments WHERE role_id = ?", "DELETE FROM iam_policies WHERE id = ?"} {
		if _, err := t.exec(ctx, q, id); err != nil {
			return fmt.Errorf("store: delete policy %q: %w", id, err)
		}
	}
	t.record(store.ChangePermissions, p.DomainID)
	return nil
}

// ListAssignments implements [store.Reader].
func (r *reader) ListAssignments(ctx context.Context, groupID string) ([]domain.Assignment, error) {
	return list(ctx, r, "list assignments", "SELECT group_id, role_id, project_id FROM iam_assignments "+
		"WHERE group_id = ? ORDER BY project_id, role_id", []any{groupID}, func(s scanner) (domain.Assignment, error) {
		var a domain.Assignment
		err := s.Scan(&a.GroupID, &a.RoleID, &a.ProjectID)
		return a, err
	})
}

// PutAssignment implements [store.Tx].
func (t *Tx) PutAssignment(ctx context.Context, a domain.Assignment) error {
	g, err := t.GetGroup(ctx, a.GroupID)
	if err != nil {
		return err
	}
	_, err = t.execChecked(ctx, "INSERT INTO iam_assignments (group_id, role_id, project_id) VALUES (?, ?, ?)",
		a.GroupID, a.RoleID, a.ProjectID)
	if err != nil {
		if err = t.d.writeErr(err, "put", "assignment"); !errors.Is(err, store.ErrExists) {
			return err
		}
	}
	t.record(store.ChangePermissions, g.DomainID)
	return nil
}

// DeleteAssignment implements [store.Tx].
func (t *Tx) DeleteAssignment(ctx context.Context, a domain.Assignment) error {
	g, err := t.GetGroup(ctx, a.GroupID)
	if err != nil {
		return err
	}
	what := fmt.Sprintf("assignment of %q to group %q on %q", a.RoleID, a.GroupID, a.ProjectID)
	res, err := t.exec(ctx, "DELETE FROM iam_assignments WHERE group_id = ? AND role_id = ? AND project_id = ?",
		a.GroupID, a.RoleID, a.ProjectID)
	if err != nil {
		return fmt.Errorf("store: delete %s: %w", what, err)
	}
	if err := mustAffect(res, "delete", what); err != nil {
		return err
	}
	t.record(store.ChangePermissions, g.DomainID)
	return nil
}

// LockAccount implements [store.Tx].
func (t *Tx) LockAccount(ctx context.Context, id string) error {
	return t.lockRow(ctx, "accounts", id, fmt.Sprintf("account %q", id))
}

// LockUser implements [store.Tx].
func (t *Tx) LockUser(ctx context.Context, id string) error {
	return t.lockRow(ctx, "users", id, fmt.Sprintf("user %q", id))
}

// LockGroup implements [store.Tx].
func (t *Tx) LockGroup(ctx context.Context, id string) error {
	return t.lockRow(ctx, "iam_groups", id, fmt.Sprintf("group %q", id))
}

// lockRow locks row id of table where the dialect has row locks; under
// SQLite the transaction already holds the database write lock.
func (t *Tx) lockRow(ctx context.Context, table, id, what string) error {
	ok, err := t.exists(ctx, "SELECT 1 FROM "+table+" WHERE id = ?"+t.d.ForUpdate, id)
	if err != nil {
		return fmt.Errorf("store: lock %s: %w", what, err)
	}
	if !ok {
		return notFound(what)
	}
	return nil
}
