package sqlstore

import (
	"context"
	"fmt"
)

// GetSetting implements [store.Reader].
func (r *reader) GetSetting(ctx context.Context, name string) ([]byte, error) {
	var v []byte
	if err := r.q.QueryRowContext(ctx, r.d.rebind("SELECT value FROM settings WHERE name = ?"), name).Scan(&v); err != nil {
		return nil, readErr(err, "get", fmt.Sprintf("setting %q", name))
	}
	return blob(v), nil
}

// PutSetting implements [store.Tx].
func (t *Tx) PutSetting(ctx context.Context, name string, value []byte, onlyIfAbsent bool) error {
	q := "INSERT INTO settings (name, value) VALUES (?, ?)"
	if !onlyIfAbsent {
		q += " ON CONFLICT (name) DO UPDATE SET value = excluded.value"
	}
	if _, err := t.execChecked(ctx, q, name, blob(value)); err != nil {
		return t.d.writeErr(err, "put", fmt.Sprintf("setting %q", name))
	}
	return nil
}

// DeleteSetting implements [store.Tx].
func (t *Tx) DeleteSetting(ctx context.Context, name string) error {
	if _, err := t.exec(ctx, "DELETE FROM settings WHERE name = ?", name); err != nil {
		return fmt.Errorf("store: delete setting %q: %w", name, err)
	}
	return nil
}
