package sqlstore

import (
	"context"
	"fmt"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
)

const aliasCols = "project_id, domain_id, name, key_id, created_at, updated_at"

func scanAlias(s scanner) (domain.Alias, error) {
	var a domain.Alias
	var created, updated int64
	if err := s.Scan(&a.ProjectID, &a.DomainID, &a.Name, &a.KeyID, &created, &updated); err != nil {
		return domain.Alias{}, err
	}
	a.CreatedAt, a.UpdatedAt = fromMS(created), fromMS(updated)
	return a, nil
}

func aliasWhat(projectID, name string) string {
	return fmt.Sprintf("alias %q in project %q", name, projectID)
}

// GetAlias implements [store.Reader].
func (r *reader) GetAlias(ctx context.Context, projectID, name string) (domain.Alias, error) {
	a, err := scanAlias(r.q.QueryRowContext(ctx,
		r.d.rebind("SELECT "+aliasCols+" FROM aliases WHERE project_id = ? AND name = ?"), projectID, name))
	if err != nil {
		return domain.Alias{}, readErr(err, "get", aliasWhat(projectID, name))
	}
	return a, nil
}

// ListAliases implements [store.Reader]. limit <= 0 means no limit.
func (r *reader) ListAliases(ctx context.Context, projectID, keyID, after string, limit int) ([]domain.Alias, error) {
	q := "SELECT " + aliasCols + " FROM aliases WHERE project_id = ? AND name > ?"
	args := []any{projectID, after}
	if keyID != "" {
		q += " AND key_id = ?"
		args = append(args, keyID)
	}
	lim, largs := page(0, limit)
	return list(ctx, r, "list aliases", q+" ORDER BY name"+lim, append(args, largs...), scanAlias)
}

// CountAliases implements [store.Reader].
func (r *reader) CountAliases(ctx context.Context, keyID string) (int, error) {
	return r.count(ctx, "count aliases", "SELECT COUNT(*) FROM aliases WHERE key_id = ?", keyID)
}

// CreateAlias implements [store.Tx]; ErrNotFound if the key or project does
// not exist.
func (t *Tx) CreateAlias(ctx context.Context, a domain.Alias) error {
	_, err := t.execChecked(ctx, "INSERT INTO aliases ("+aliasCols+") VALUES (?, ?, ?, ?, ?, ?)",
		a.ProjectID, a.DomainID, a.Name, a.KeyID, ms(a.CreatedAt), ms(a.UpdatedAt))
	if err != nil {
		return t.d.writeErr(err, "create", aliasWhat(a.ProjectID, a.Name))
	}
	t.record(store.ChangeKey, a.KeyID)
	return nil
}

// UpdateAlias implements [store.Tx]: it stores KeyID, DomainID and UpdatedAt.
// Both the old and the new key are reported as changed.
func (t *Tx) UpdateAlias(ctx context.Context, a domain.Alias) error {
	what := aliasWhat(a.ProjectID, a.Name)
	var oldKey string
	err := t.q.QueryRowContext(ctx, t.d.rebind("SELECT key_id FROM aliases WHERE project_id = ? AND name = ?"+t.d.ForUpdate),
		a.ProjectID, a.Name).Scan(&oldKey)
	if err != nil {
		return readErr(err, "update", what)
	}
	res, err := t.execChecked(ctx, "UPDATE aliases SET key_id = ?, domain_id = ?, updated_at = ? WHERE project_id = ? AND name = ?",
		a.KeyID, a.DomainID, ms(a.UpdatedAt), a.ProjectID, a.Name)
	if err != nil {
		return t.d.writeErr(err, "update", what)
	}
	if err := mustAffect(res, "update", what); err != nil {
		return err
	}
	t.record(store.ChangeKey, oldKey)
	t.record(store.ChangeKey, a.KeyID)
	return nil
}

// DeleteAlias implements [store.Tx].
func (t *Tx) DeleteAlias(ctx context.Context, projectID, name string) error {
	var keyID string
	err := t.q.QueryRowContext(ctx, t.d.rebind("DELETE FROM aliases WHERE project_id = ? AND name = ? RETURNING key_id"),
		projectID, name).Scan(&keyID)
	if err != nil {
		return readErr(err, "delete", aliasWhat(projectID, name))
	}
	t.record(store.ChangeKey, keyID)
	return nil
}
