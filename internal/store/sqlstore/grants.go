package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/op"
	"github.com/kmsd/kmsd/internal/store"
)

const grantCols = "id, key_id, project_id, domain_id, name, grantee_principal, grantee_type, " +
	"retiring_principal, issuing_principal, operations, created_at"

func scanGrant(s scanner, extra ...any) (domain.Grant, error) {
	var g domain.Grant
	var ops string
	var created int64
	dest := append([]any{&g.ID, &g.KeyID, &g.ProjectID, &g.DomainID, &g.Name, &g.GranteePrincipal,
		&g.GranteeType, &g.RetiringPrincipal, &g.IssuingPrincipal, &ops, &created}, extra...)
	if err := s.Scan(dest...); err != nil {
		return domain.Grant{}, err
	}
	var err error
	if g.Operations, err = decodeList(ops); err != nil {
		return domain.Grant{}, fmt.Errorf("grant %q: operations: %w", g.ID, err)
	}
	g.CreatedAt = fromMS(created)
	return g, nil
}

// GetGrant implements [store.Reader].
func (r *reader) GetGrant(ctx context.Context, id string) (domain.Grant, error) {
	g, err := scanGrant(r.q.QueryRowContext(ctx, r.d.rebind("SELECT "+grantCols+" FROM grants WHERE id = ?"), id))
	if err != nil {
		return domain.Grant{}, readErr(err, "get", fmt.Sprintf("grant %q", id))
	}
	return g, nil
}

// grants runs a paged grant query ordered by (created_at, id) with a total.
func (r *reader) grants(ctx context.Context, op, where string, args []any, p store.Page) ([]domain.Grant, int, error) {
	lim, largs := page(p.Offset, p.Limit)
	var total int64
	out, err := list(ctx, r, op, "SELECT "+grantCols+", COUNT(*) OVER () FROM grants WHERE "+where+" ORDER BY created_at, id"+lim,
		append(append([]any{}, args...), largs...), func(s scanner) (domain.Grant, error) { return scanGrant(s, &total) })
	if err != nil {
		return nil, 0, err
	}
	if len(out) == 0 && p.Offset > 0 {
		n, err := r.count(ctx, op, "SELECT COUNT(*) FROM grants WHERE "+where, args...)
		return nil, n, err
	}
	return out, int(total), nil
}

// ListGrants implements [store.Reader].
func (r *reader) ListGrants(ctx context.Context, keyID string, p store.Page) ([]domain.Grant, int, error) {
	return r.grants(ctx, "list grants", "key_id = ?", []any{keyID}, p)
}

// ListRetirableGrants implements [store.Reader].
func (r *reader) ListRetirableGrants(ctx context.Context, principals []string, p store.Page) ([]domain.Grant, int, error) {
	if len(principals) == 0 {
		return nil, 0, nil
	}
	in := strings.TrimSuffix(strings.Repeat("?,", len(principals)), ",")
	// Operations are a JSON array of strings: the quoted name matches exactly one element.
	where := "(retiring_principal IN (" + in + ") OR (grantee_principal IN (" + in + ") AND operations LIKE ?))"
	args := make([]any, 0, 2*len(principals)+1)
	for range 2 {
		for _, pr := range principals {
			args = append(args, pr)
		}
	}
	args = append(args, `%"`+string(op.RetireGrant)+`"%`)
	return r.grants(ctx, "list retirable grants", where, args, p)
}

// ListGranteeGrants implements [store.Reader]; the grants are ordered by
// (CreatedAt, ID).
func (r *reader) ListGranteeGrants(ctx context.Context, keyID string, principals []string) ([]domain.Grant, error) {
	if len(principals) == 0 {
		return nil, nil
	}
	args := make([]any, 0, 1+len(principals))
	args = append(args, keyID)
	for _, p := range principals {
		args = append(args, p)
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(principals)), ", ")
	return list(ctx, r, "list grantee grants", "SELECT "+grantCols+
		" FROM grants WHERE key_id = ? AND grantee_principal IN ("+marks+") ORDER BY created_at, id", args,
		func(s scanner) (domain.Grant, error) { return scanGrant(s) })
}

// MaxGrantsPerKey implements [store.Reader].
func (r *reader) MaxGrantsPerKey(ctx context.Context, projectID string) (int, error) {
	return r.count(ctx, "max grants per key", `SELECT COALESCE(MAX(n), 0) FROM (
		SELECT COUNT(*) AS n FROM grants g JOIN keys k ON k.id = g.key_id
		WHERE k.project_id = ? GROUP BY g.key_id) per_key`, projectID)
}

// CountGrants implements [store.Tx].
func (t *Tx) CountGrants(ctx context.Context, keyID string) (int, error) {
	return t.count(ctx, "count grants", "SELECT COUNT(*) FROM grants WHERE key_id = ?", keyID)
}

// CreateGrant implements [store.Tx]; ErrNotFound if the key does not exist.
func (t *Tx) CreateGrant(ctx context.Context, g domain.Grant) error {
	_, err := t.execChecked(ctx, "INSERT INTO grants ("+grantCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		g.ID, g.KeyID, g.ProjectID, g.DomainID, g.Name, g.GranteePrincipal, g.GranteeType,
		g.RetiringPrincipal, g.IssuingPrincipal, encodeList(g.Operations), ms(g.CreatedAt))
	if err != nil {
		return t.d.writeErr(err, "create", fmt.Sprintf("grant %q", g.ID))
	}
	t.record(store.ChangeGrant, g.KeyID)
	return nil
}

// DeleteGrant implements [store.Tx].
func (t *Tx) DeleteGrant(ctx context.Context, id string) error {
	var keyID string
	err := t.q.QueryRowContext(ctx, t.d.rebind("DELETE FROM grants WHERE id = ? RETURNING key_id"), id).Scan(&keyID)
	if err != nil {
		return readErr(err, "delete", fmt.Sprintf("grant %q", id))
	}
	t.record(store.ChangeGrant, keyID)
	return nil
}
