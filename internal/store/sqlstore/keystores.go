package sqlstore

import (
	"context"
	"fmt"

	"github.com/kmsd/kmsd/internal/store"
)

const keystoreCols = "id, domain_id, project_id, alias, state, created_at"

func scanKeystore(s scanner, extra ...any) (store.Keystore, error) {
	var ks store.Keystore
	var created int64
	if err := s.Scan(append([]any{&ks.ID, &ks.DomainID, &ks.ProjectID, &ks.Alias, &ks.State, &created}, extra...)...); err != nil {
		return store.Keystore{}, err
	}
	ks.CreatedAt = fromMS(created)
	return ks, nil
}

func keystoreWhat(projectID, id string) string {
	return fmt.Sprintf("keystore %q in project %q", id, projectID)
}

// GetKeystore implements [store.KeystoreReader].
func (r *reader) GetKeystore(ctx context.Context, projectID, id string) (store.Keystore, error) {
	ks, err := scanKeystore(r.q.QueryRowContext(ctx,
		r.d.rebind("SELECT "+keystoreCols+" FROM keystores WHERE project_id = ? AND id = ?"), projectID, id))
	if err != nil {
		return store.Keystore{}, readErr(err, "get", keystoreWhat(projectID, id))
	}
	return ks, nil
}

// ListKeystores implements [store.KeystoreReader]: creation order is seq,
// then id.
func (r *reader) ListKeystores(ctx context.Context, projectID string, p store.Page) ([]store.Keystore, int, error) {
	const op = "list keystores"
	lim, largs := page(p.Offset, p.Limit)
	var total int64
	out, err := list(ctx, r, op, "SELECT "+keystoreCols+", COUNT(*) OVER () FROM keystores WHERE project_id = ? ORDER BY seq, id"+lim,
		append([]any{projectID}, largs...), func(s scanner) (store.Keystore, error) { return scanKeystore(s, &total) })
	if err != nil {
		return nil, 0, err
	}
	if len(out) == 0 && p.Offset > 0 { // past the end: the window count saw no rows
		n, err := r.count(ctx, op, "SELECT COUNT(*) FROM keystores WHERE project_id = ?", projectID)
		return nil, n, err
	}
	return out, int(total), nil
}

// CreateKeystore implements [store.KeystoreWriter]; its seq follows the
// project's last.
func (t *Tx) CreateKeystore(ctx context.Context, ks store.Keystore) error {
	what := keystoreWhat(ks.ProjectID, ks.ID)
	seq, err := t.count(ctx, "create "+what, "SELECT COALESCE(MAX(seq), 0) + 1 FROM keystores WHERE project_id = ?", ks.ProjectID)
	if err != nil {
		return err
	}
	_, err = t.execChecked(ctx, "INSERT INTO keystores ("+keystoreCols+", seq) VALUES (?, ?, ?, ?, ?, ?, ?)",
		ks.ID, ks.DomainID, ks.ProjectID, ks.Alias, ks.State, ms(ks.CreatedAt), int64(seq))
	if err != nil {
		return t.d.writeErr(err, "create", fmt.Sprintf("%s (alias %q in account %q)", what, ks.Alias, ks.DomainID))
	}
	t.record(store.ChangeKeystore, ks.ID)
	return nil
}

// UpdateKeystore implements [store.KeystoreWriter].
func (t *Tx) UpdateKeystore(ctx context.Context, ks store.Keystore) error {
	what := keystoreWhat(ks.ProjectID, ks.ID)
	res, err := t.exec(ctx, "UPDATE keystores SET state = ? WHERE project_id = ? AND id = ?", ks.State, ks.ProjectID, ks.ID)
	if err != nil {
		return fmt.Errorf("store: update %s: %w", what, err)
	}
	if err := mustAffect(res, "update", what); err != nil {
		return err
	}
	t.record(store.ChangeKeystore, ks.ID)
	return nil
}

// DeleteKeystore implements [store.KeystoreWriter].
func (t *Tx) DeleteKeystore(ctx context.Context, projectID, id string) error {
	what := keystoreWhat(projectID, id)
	res, err := t.exec(ctx, "DELETE FROM keystores WHERE project_id = ? AND id = ?", projectID, id)
	if err != nil {
		return fmt.Errorf("store: delete %s: %w", what, err)
	}
	if err := mustAffect(res, "delete", what); err != nil {
		return err
	}
	t.record(store.ChangeKeystore, id)
	return nil
}
