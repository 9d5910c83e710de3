package sqlstore

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
)

const keyCols = "id, domain_id, project_id, key_alias, description, key_spec, key_usage, origin, key_state, " +
	"is_default, created_at, deletion_date, material_expiry, rotation_enabled, rotation_interval, " +
	"last_rotation, rotation_count, primary_version, enterprise_project_id, keystore_id, revision"

// scanKey scans keyCols followed by extra destinations.
func scanKey(s scanner, extra ...any) (domain.Key, error) {
	var k domain.Key
	var created, deletion, expiry, lastRot, interval, rotCount, primary int64
	dest := append([]any{&k.ID, &k.DomainID, &k.ProjectID, &k.Alias, &k.Description, &k.Spec, &k.Usage,
		&k.Origin, &k.State, &k.Default, &created, &deletion, &expiry, &k.RotationEnabled, &interval,
		&lastRot, &rotCount, &primary, &k.EnterpriseProjectID, &k.KeystoreID, &k.Revision}, extra...)
	if err := s.Scan(dest...); err != nil {
		return domain.Key{}, err
	}
	k.CreatedAt, k.DeletionDate, k.MaterialExpiry, k.LastRotation = fromMS(created), fromMS(deletion), fromMS(expiry), fromMS(lastRot)
	k.RotationInterval, k.RotationCount, k.PrimaryVersion = int(interval), int(rotCount), int(primary)
	return k, nil
}

// keyArgs returns the values of keyCols for k, with the given revision.
func keyArgs(k domain.Key, revision int64) []any {
	return []any{k.ID, k.DomainID, k.ProjectID, k.Alias, k.Description, string(k.Spec), string(k.Usage),
		string(k.Origin), string(k.State), k.Default, ms(k.CreatedAt), ms(k.DeletionDate), ms(k.MaterialExpiry),
		k.RotationEnabled, int64(k.RotationInterval), ms(k.LastRotation), int64(k.RotationCount),
		int64(k.PrimaryVersion), k.EnterpriseProjectID, k.KeystoreID, revision}
}

func (r *reader) key(ctx context.Context, what, suffix string, args ...any) (domain.Key, error) {
	k, err := scanKey(r.q.QueryRowContext(ctx, r.d.rebind("SELECT "+keyCols+" FROM keys WHERE "+suffix), args...))
	if err != nil {
		return domain.Key{}, readErr(err, "get", what)
	}
	return k, nil
}

// GetKey implements [store.Reader].
func (r *reader) GetKey(ctx context.Context, id string) (domain.Key, error) {
	return r.key(ctx, fmt.Sprintf("key %q", id), "id = ?", id)
}

// GetKeyByAlias implements [store.Reader].
func (r *reader) GetKeyByAlias(ctx context.Context, projectID, alias string) (domain.Key, error) {
	return r.key(ctx, fmt.Sprintf("key alias %q in project %q", alias, projectID),
		"project_id = ? AND key_alias = ?", projectID, alias)
}

// GetKeyForUpdate implements [store.Tx].
func (t *Tx) GetKeyForUpdate(ctx context.Context, id string) (domain.Key, error) {
	return t.key(ctx, fmt.Sprintf("key %q", id), "id = ?"+t.d.ForUpdate, id)
}

// ListKeys implements [store.Reader]. A page after a cursor is a range scan
// of an index led by the filtered columns; the total is read from
// key_counts.
func (r *reader) ListKeys(ctx context.Context, f store.KeyFilter) ([]domain.Key, int, error) {
	where := " FROM keys WHERE project_id = ?"
	args := []any{f.ProjectID}
	if f.Spec != "" {
		where += " AND key_spec = ?"
		args = append(args, string(f.Spec))
	}
	if f.State != "" {
		where += " AND key_state = ?"
		args = append(args, string(f.State))
	}
	if f.After.ID != "" {
		where += " AND (created_at, id) > (?, ?)"
		args = append(args, ms(f.After.CreatedAt), f.After.ID)
	}
	total, err := r.keyTotal(ctx, f.ProjectID, string(f.Spec), string(f.State), false)
	if err != nil {
		return nil, 0, err
	}
	lim, largs := page(f.Offset, f.Limit)
	out, err := list(ctx, r, "list keys", "SELECT "+keyCols+where+" ORDER BY created_at, id"+lim,
		append(args, largs...), func(s scanner) (domain.Key, error) { return scanKey(s) })
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// CountKeys implements [store.Reader].
func (r *reader) CountKeys(ctx context.Context, projectID string) (int, error) {
	return r.keyTotal(ctx, projectID, "", "", true)
}

// keysDue are the three conditions of [store.KeyReader.KeysDue] at a time
// (ms), in portable millisecond arithmetic. Each is a query of its own whose
// literal conditions match a partial index of schema version 8, so that the
// background pass reads the keys needing work, not every key.
var keysDue = []string{
	"key_state = '4' AND deletion_date <= ?",
	`rotation_enabled = TRUE AND key_state = '2'
		AND (CASE WHEN last_rotation > created_at THEN last_rotation ELSE created_at END)
			+ rotation_interval * 86400000 <= ?`,
	"origin = 'external' AND key_state IN ('2', '3') AND material_expiry <> 0 AND material_expiry <= ?",
}

// KeysDue implements [store.Reader]. limit <= 0 means no limit.
func (r *reader) KeysDue(ctx context.Context, now time.Time, limit int) ([]domain.Key, error) {
	lim, largs := page(0, limit)
	byID := map[string]domain.Key{}
	for _, cond := range keysDue {
		keys, err := list(ctx, r, "keys due", "SELECT "+keyCols+" FROM keys WHERE "+cond+" ORDER BY id"+lim,
			append([]any{now.UnixMilli()}, largs...), func(s scanner) (domain.Key, error) { return scanKey(s) })
		if err != nil {
			return nil, err
		}
		for _, k := range keys {
			byID[k.ID] = k
		}
	}
	if len(byID) == 0 {
		return nil, nil
	}
	out := slices.SortedFunc(maps.Values(byID), func(a, b domain.Key) int { return strings.Compare(a.ID, b.ID) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// CreateKey implements [store.Tx].
func (t *Tx) CreateKey(ctx context.Context, k domain.Key) error {
	_, err := t.execChecked(ctx, "INSERT INTO keys ("+keyCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		keyArgs(k, 1)...)
	if err != nil {
		return t.d.writeErr(err, "create", fmt.Sprintf("key %q (alias %q in project %q)", k.ID, k.Alias, k.ProjectID))
	}
	if err := t.countKey(ctx, classOf(k), 1); err != nil {
		return err
	}
	t.record(store.ChangeKey, k.ID)
	return nil
}

const updateKey = `UPDATE keys SET domain_id = ?, project_id = ?, key_alias = ?, description = ?, key_spec = ?,
	key_usage = ?, origin = ?, key_state = ?, is_default = ?, created_at = ?, deletion_date = ?,
	material_expiry = ?, rotation_enabled = ?, rotation_interval = ?, last_rotation = ?, rotation_count = ?,
	primary_version = ?, enterprise_project_id = ?, keystore_id = ?, revision = ?
	WHERE id = ? AND revision = ?`

// UpdateKey implements [store.Tx]. It locks and reads the stored row first,
// to move the key between counts when its project, spec, state or default
// flag changes.
func (t *Tx) UpdateKey(ctx context.Context, k domain.Key) error {
	what := fmt.Sprintf("key %q", k.ID)
	var old keyClass
	var rev int64
	err := t.q.QueryRowContext(ctx, t.d.rebind("SELECT project_id, key_spec, key_state, is_default, revision FROM keys WHERE id = ?"+t.d.ForUpdate),
		k.ID).Scan(&old.project, &old.spec, &old.state, &old.isDefault, &rev)
	if err != nil {
		return readErr(err, "update", what)
	}
	if rev != k.Revision {
		return fmt.Errorf("%w: %s: revision %d is stale", store.ErrConflict, what, k.Revision)
	}
	args := append(keyArgs(k, k.Revision+1)[1:], k.ID, k.Revision)
	res, err := t.execChecked(ctx, updateKey, args...)
	if err != nil {
		return t.d.writeErr(err, "update", fmt.Sprintf("key %q (alias %q in project %q)", k.ID, k.Alias, k.ProjectID))
	}
	if err := mustAffect(res, "update", what); err != nil {
		return err
	}
	if err := t.moveKey(ctx, old, classOf(k)); err != nil {
		return err
	}
	if old.project != k.ProjectID {
		if err := t.moveTags(ctx, k.ID, old.project, k.ProjectID); err != nil {
			return err
		}
	}
	t.record(store.ChangeKey, k.ID)
	return nil
}

// DeleteKey implements [store.Tx]; ErrNotFound if the key does not exist.
// The keys at the other end of its replica links are reported as changed.
func (t *Tx) DeleteKey(ctx context.Context, id string) error {
	what := fmt.Sprintf("key %q", id)
	var c keyClass
	err := t.q.QueryRowContext(ctx, t.d.rebind("SELECT project_id, key_spec, key_state, is_default FROM keys WHERE id = ?"+t.d.ForUpdate),
		id).Scan(&c.project, &c.spec, &c.state, &c.isDefault)
	if err != nil {
		return readErr(err, "delete", what)
	}
	if err := t.deleteTags(ctx, id, c.project); err != nil {
		return err
	}
	for _, table := range []string{"aliases", "grants", "key_versions"} {
		if _, err := t.exec(ctx, "DELETE FROM "+table+" WHERE key_id = ?", id); err != nil {
			return fmt.Errorf("store: delete %s: %s: %w", what, table, err)
		}
	}
	res, err := t.exec(ctx, "DELETE FROM keys WHERE id = ?", id)
	if err != nil {
		return fmt.Errorf("store: delete %s: %w", what, err)
	}
	if err := mustAffect(res, "delete", what); err != nil {
		return err
	}
	if err := t.countKey(ctx, c, -1); err != nil {
		return err
	}
	if err := t.deleteLinksOf(ctx, id); err != nil {
		return err
	}
	t.record(store.ChangeKey, id)
	t.record(store.ChangeGrant, id)
	return nil
}
