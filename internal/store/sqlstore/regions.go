package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/kmsd/kmsd/internal/store"
)

const linkCols = "key_id, primary_id, region"

func scanLink(s scanner) (l store.ReplicaLink, err error) {
	return l, s.Scan(&l.KeyID, &l.PrimaryID, &l.Region)
}

// GetReplicaLink implements [store.RegionReader].
func (r *reader) GetReplicaLink(ctx context.Context, keyID string) (store.ReplicaLink, error) {
	l, err := scanLink(r.q.QueryRowContext(ctx, r.d.rebind("SELECT "+linkCols+" FROM replica_links WHERE key_id = ?"), keyID))
	if err != nil {
		return store.ReplicaLink{}, readErr(err, "get", fmt.Sprintf("replica link of key %q", keyID))
	}
	return l, nil
}

// ListReplicas implements [store.RegionReader].
func (r *reader) ListReplicas(ctx context.Context, primaryID string) ([]store.ReplicaLink, error) {
	return list(ctx, r, "list replicas", "SELECT "+linkCols+" FROM replica_links WHERE primary_id = ? ORDER BY region, key_id",
		[]any{primaryID}, scanLink)
}

// GetMaterialGroup implements [store.RegionReader].
func (r *reader) GetMaterialGroup(ctx context.Context, keyID string) (string, error) {
	var group string
	err := r.q.QueryRowContext(ctx, r.d.rebind("SELECT group_id FROM material_groups WHERE key_id = ?"), keyID).Scan(&group)
	if err != nil {
		return "", readErr(err, "get", fmt.Sprintf("material group of key %q", keyID))
	}
	return group, nil
}

// keysExist returns ErrNotFound unless every one of ids is a key.
func (t *Tx) keysExist(ctx context.Context, op string, ids ...string) error {
	for _, id := range ids {
		ok, err := t.exists(ctx, "SELECT 1 FROM keys WHERE id = ?", id)
		if err != nil {
			return fmt.Errorf("store: %s: %w", op, err)
		}
		if !ok {
			return notFound(fmt.Sprintf("key %q", id))
		}
	}
	return nil
}

// PutReplicaLink implements [store.RegionWriter]. The replica, its new
// primary and its old one (if any) are reported as changed.
func (t *Tx) PutReplicaLink(ctx context.Context, l store.ReplicaLink) error {
	op := fmt.Sprintf("link key %q to primary %q", l.KeyID, l.PrimaryID)
	if err := t.keysExist(ctx, op, l.KeyID, l.PrimaryID); err != nil {
		return err
	}
	var old string
	err := t.q.QueryRowContext(ctx, t.d.rebind("SELECT primary_id FROM replica_links WHERE key_id = ?"+t.d.ForUpdate), l.KeyID).Scan(&old)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: %s: %w", op, err)
	}
	_, err = t.exec(ctx, "INSERT INTO replica_links ("+linkCols+") VALUES (?, ?, ?) "+
		"ON CONFLICT (key_id) DO UPDATE SET primary_id = excluded.primary_id, region = excluded.region",
		l.KeyID, l.PrimaryID, l.Region)
	if err != nil {
		return fmt.Errorf("store: %s: %w", op, err)
	}
	t.recordKeys(l.KeyID, l.PrimaryID, old)
	return nil
}

// DeleteReplicaLink implements [store.RegionWriter]; the replica and its
// primary are reported as changed.
func (t *Tx) DeleteReplicaLink(ctx context.Context, keyID string) error {
	links, err := list(ctx, &t.reader, fmt.Sprintf("unlink key %q", keyID),
		"DELETE FROM replica_links WHERE key_id = ? RETURNING "+linkCols, []any{keyID}, scanLink)
	if err != nil {
		return err
	}
	t.recordLinks(links)
	return nil
}

// deleteLinksOf removes every link key id is either end of (DeleteKey).
func (t *Tx) deleteLinksOf(ctx context.Context, id string) error {
	links, err := list(ctx, &t.reader, fmt.Sprintf("delete replica links of key %q", id),
		"DELETE FROM replica_links WHERE key_id = ? OR primary_id = ? RETURNING "+linkCols, []any{id, id}, scanLink)
	if err != nil {
		return err
	}
	t.recordLinks(links)
	return nil
}

// CreateMaterialGroup implements [store.RegionWriter].
func (t *Tx) CreateMaterialGroup(ctx context.Context, keyID, group string) error {
	what := fmt.Sprintf("material group of key %q", keyID)
	if err := t.keysExist(ctx, "create "+what, keyID); err != nil {
		return err
	}
	if _, err := t.execChecked(ctx, "INSERT INTO material_groups (key_id, group_id) VALUES (?, ?)", keyID, group); err != nil {
		return t.d.writeErr(err, "create", what)
	}
	t.recordKeys(keyID)
	return nil
}

// recordLinks reports both ends of removed links as changed.
func (t *Tx) recordLinks(links []store.ReplicaLink) {
	for _, l := range links {
		t.recordKeys(l.KeyID, l.PrimaryID)
	}
}

// recordKeys reports the non-empty ids as changed keys.
func (t *Tx) recordKeys(ids ...string) {
	for _, id := range ids {
		if id != "" {
			t.record(store.ChangeKey, id)
		}
	}
}
