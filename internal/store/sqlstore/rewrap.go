package sqlstore

import (
	"context"
	"fmt"

	"github.com/kmsd/kmsd/internal/store"
)

// wrappedTable is where a kind of root-wrapped secret lives.
type wrappedTable struct {
	table, id, version, blob string
	order                    string // ORDER BY columns
}

var wrappedTables = map[store.WrappedKind]wrappedTable{
	store.WrappedVersion:    {table: "key_versions", id: "key_id", version: "version", blob: "wrapped", order: "key_id, version"},
	store.WrappedCredential: {table: "credentials", id: "access_key", version: "0", blob: "wrapped_sk", order: "access_key"},
}

func tableOf(kind store.WrappedKind) (wrappedTable, error) {
	w, ok := wrappedTables[kind]
	if !ok {
		return wrappedTable{}, fmt.Errorf("store: unknown wrapped kind %q", kind)
	}
	return w, nil
}

// ListWrapped implements [store.Reader].
func (r *reader) ListWrapped(ctx context.Context, f store.WrappedFilter) ([]store.Wrapped, error) {
	w, err := tableOf(f.Kind)
	if err != nil {
		return nil, err
	}
	if f.Limit <= 0 {
		return nil, fmt.Errorf("store: list wrapped: limit %d, want > 0", f.Limit)
	}
	q := fmt.Sprintf("SELECT %s, %s, %s, root_key_id FROM %s WHERE %s IS NOT NULL AND (%s > ? OR (%s = ? AND %s > ?))",
		w.id, w.version, w.blob, w.table, w.blob, w.id, w.id, w.version)
	args := []any{f.AfterID, f.AfterID, int64(f.AfterVersion)}
	if f.RootKeyID != "" {
		q += " AND root_key_id = ?"
		args = append(args, f.RootKeyID)
	}
	q += " ORDER BY " + w.order + " LIMIT ?"
	args = append(args, int64(f.Limit))
	return list(ctx, r, "list wrapped", q, args, func(s scanner) (store.Wrapped, error) {
		x := store.Wrapped{Kind: f.Kind}
		var v int64
		if err := s.Scan(&x.ID, &v, &x.Blob, &x.RootKeyID); err != nil {
			return store.Wrapped{}, err
		}
		x.Version, x.Blob = int(v), blob(x.Blob)
		return x, nil
	})
}

// CountWrapped implements [store.Reader].
func (r *reader) CountWrapped(ctx context.Context, rootKeyID string) (int64, error) {
	var total int64
	for _, kind := range store.WrappedKinds {
		w := wrappedTables[kind]
		n, err := r.count(ctx, "count wrapped", fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE root_key_id = ? AND %s IS NOT NULL",
			w.table, w.blob), rootKeyID)
		if err != nil {
			return 0, err
		}
		total += int64(n)
	}
	return total, nil
}

// ReplaceWrapped implements [store.Tx].
func (t *Tx) ReplaceWrapped(ctx context.Context, x store.Wrapped, newBlob []byte, rootKeyID string) error {
	w, err := tableOf(x.Kind)
	if err != nil {
		return err
	}
	what := fmt.Sprintf("%s %s/%d", x.Kind, x.ID, x.Version)
	where := fmt.Sprintf("%s = ? AND %s = ?", w.id, w.version)
	res, err := t.exec(ctx, fmt.Sprintf("UPDATE %s SET %s = ?, root_key_id = ? WHERE %s AND %s = ? AND root_key_id = ?",
		w.table, w.blob, where, w.blob), blob(newBlob), rootKeyID, x.ID, int64(x.Version), x.Blob, x.RootKeyID)
	if err != nil {
		return fmt.Errorf("store: replace %s: %w", what, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	ok, err := t.exists(ctx, fmt.Sprintf("SELECT 1 FROM %s WHERE %s", w.table, where), x.ID, int64(x.Version))
	if err != nil {
		return err
	}
	if !ok {
		return notFound(what)
	}
	return fmt.Errorf("%w: %s changed since it was read", store.ErrConflict, what)
}

const rotationCols = "from_key, to_key, done, owner, lease_until, rewrapped, started_at, finished_at"

func scanRotation(s scanner) (store.Rotation, error) {
	var r store.Rotation
	var lease, started, finished int64
	if err := s.Scan(&r.From, &r.To, &r.Done, &r.Owner, &lease, &r.Rewrapped, &started, &finished); err != nil {
		return store.Rotation{}, err
	}
	r.LeaseUntil, r.StartedAt, r.FinishedAt = fromMS(lease), fromMS(started), fromMS(finished)
	return r, nil
}

func (r *reader) getRotation(ctx context.Context, from, to, suffix string) (store.Rotation, error) {
	rot, err := scanRotation(r.q.QueryRowContext(ctx,
		r.d.rebind("SELECT "+rotationCols+" FROM root_key_rotations WHERE from_key = ? AND to_key = ?"+suffix), from, to))
	if err != nil {
		return store.Rotation{}, readErr(err, "get", fmt.Sprintf("rotation %s -> %s", from, to))
	}
	return rot, nil
}

// GetRotation implements [store.Reader].
func (r *reader) GetRotation(ctx context.Context, from, to string) (store.Rotation, error) {
	return r.getRotation(ctx, from, to, "")
}

// ListRotations implements [store.Reader].
func (r *reader) ListRotations(ctx context.Context) ([]store.Rotation, error) {
	return list(ctx, r, "list rotations", "SELECT "+rotationCols+" FROM root_key_rotations ORDER BY started_at, from_key, to_key",
		nil, scanRotation)
}

// GetRotationForUpdate implements [store.Tx].
func (t *Tx) GetRotationForUpdate(ctx context.Context, from, to string) (store.Rotation, error) {
	return t.getRotation(ctx, from, to, t.d.ForUpdate)
}

// CreateRotation implements [store.Tx].
func (t *Tx) CreateRotation(ctx context.Context, r store.Rotation) error {
	_, err := t.execChecked(ctx, "INSERT INTO root_key_rotations ("+rotationCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		r.From, r.To, r.Done, r.Owner, ms(r.LeaseUntil), r.Rewrapped, ms(r.StartedAt), ms(r.FinishedAt))
	if err != nil {
		return t.d.writeErr(err, "create", fmt.Sprintf("rotation %s -> %s", r.From, r.To))
	}
	return nil
}

// UpdateRotation implements [store.Tx].
func (t *Tx) UpdateRotation(ctx context.Context, r store.Rotation) error {
	what := fmt.Sprintf("rotation %s -> %s", r.From, r.To)
	res, err := t.exec(ctx, "UPDATE root_key_rotations SET done = ?, owner = ?, lease_until = ?, rewrapped = ?,"+
		" started_at = ?, finished_at = ? WHERE from_key = ? AND to_key = ?",
		r.Done, r.Owner, ms(r.LeaseUntil), r.Rewrapped, ms(r.StartedAt), ms(r.FinishedAt), r.From, r.To)
	if err != nil {
		return fmt.Errorf("store: update %s: %w", what, err)
	}
	return mustAffect(res, "update", what)
}
