package sqlstore

import (
	"context"
	"fmt"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
)

const versionCols = "key_id, version, wrapped, root_key_id, public_key, created_at"

func scanVersion(s scanner) (domain.KeyVersion, error) {
	var v domain.KeyVersion
	var version, created int64
	if err := s.Scan(&v.KeyID, &version, &v.Wrapped, &v.RootKeyID, &v.PublicKey, &created); err != nil {
		return domain.KeyVersion{}, err
	}
	v.Version, v.CreatedAt = int(version), fromMS(created)
	v.Wrapped, v.PublicKey = blob(v.Wrapped), blob(v.PublicKey)
	return v, nil
}

// GetVersion implements [store.Reader].
func (r *reader) GetVersion(ctx context.Context, keyID string, version int) (domain.KeyVersion, error) {
	v, err := scanVersion(r.q.QueryRowContext(ctx,
		r.d.rebind("SELECT "+versionCols+" FROM key_versions WHERE key_id = ? AND version = ?"), keyID, int64(version)))
	if err != nil {
		return domain.KeyVersion{}, readErr(err, "get", fmt.Sprintf("version %d of key %q", version, keyID))
	}
	return v, nil
}

// ListVersions implements [store.Reader].
func (r *reader) ListVersions(ctx context.Context, keyID string) ([]domain.KeyVersion, error) {
	return list(ctx, r, "list versions", "SELECT "+versionCols+" FROM key_versions WHERE key_id = ? ORDER BY version",
		[]any{keyID}, scanVersion)
}

// CreateVersion implements [store.Tx]; ErrNotFound if the key does not exist.
func (t *Tx) CreateVersion(ctx context.Context, v domain.KeyVersion) error {
	_, err := t.execChecked(ctx, "INSERT INTO key_versions ("+versionCols+") VALUES (?, ?, ?, ?, ?, ?)",
		v.KeyID, int64(v.Version), blob(v.Wrapped), v.RootKeyID, blob(v.PublicKey), ms(v.CreatedAt))
	if err != nil {
		return t.d.writeErr(err, "create", fmt.Sprintf("version %d of key %q", v.Version, v.KeyID))
	}
	t.record(store.ChangeKey, v.KeyID)
	return nil
}

// DeleteVersions implements [store.Tx].
func (t *Tx) DeleteVersions(ctx context.Context, keyID string) error {
	if _, err := t.exec(ctx, "DELETE FROM key_versions WHERE key_id = ?", keyID); err != nil {
		return fmt.Errorf("store: delete versions of key %q: %w", keyID, err)
	}
	t.record(store.ChangeKey, keyID)
	return nil
}
