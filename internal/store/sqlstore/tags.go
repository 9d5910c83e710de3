package sqlstore

import (
	"context"
	"fmt"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
)

// ListTags implements [store.Reader].
func (r *reader) ListTags(ctx context.Context, keyID string) ([]domain.Tag, error) {
	return list(ctx, r, "list tags", "SELECT tag_key, tag_value FROM tags WHERE key_id = ? ORDER BY tag_key", []any{keyID},
		func(s scanner) (tg domain.Tag, err error) { return tg, s.Scan(&tg.Key, &tg.Value) })
}

// ListProjectTags implements [store.Reader]. Keys without tags are absent
// from the map; each key's tags are ordered by tag key. The map is never nil.
func (r *reader) ListProjectTags(ctx context.Context, projectID string) (map[string][]domain.Tag, error) {
	type keyTag struct {
		keyID string
		tag   domain.Tag
	}
	tags, err := list(ctx, r, "list project tags", `SELECT t.key_id, t.tag_key, t.tag_value
		FROM tags t JOIN keys k ON k.id = t.key_id
		WHERE k.project_id = ? ORDER BY t.key_id, t.tag_key`, []any{projectID},
		func(s scanner) (kt keyTag, err error) { return kt, s.Scan(&kt.keyID, &kt.tag.Key, &kt.tag.Value) })
	if err != nil {
		return nil, err
	}
	out := make(map[string][]domain.Tag)
	for _, kt := range tags {
		out[kt.keyID] = append(out[kt.keyID], kt.tag)
	}
	return out, nil
}

// ReplaceTags implements [store.Tx]. ErrNotFound if the key does not exist,
// ErrExists if tags repeats a tag key; either way nothing is changed.
func (t *Tx) ReplaceTags(ctx context.Context, keyID string, tags []domain.Tag) error {
	what := fmt.Sprintf("tags of key %q", keyID)
	seen := make(map[string]bool, len(tags))
	for _, tg := range tags {
		if seen[tg.Key] {
			return fmt.Errorf("%w: %s: duplicate tag key %q", store.ErrExists, what, tg.Key)
		}
		seen[tg.Key] = true
	}
	var projectID string
	err := t.q.QueryRowContext(ctx, t.d.rebind("SELECT project_id FROM keys WHERE id = ?"+t.d.ForUpdate), keyID).Scan(&projectID)
	if err != nil {
		return readErr(err, "replace", what)
	}
	if err := t.deleteTags(ctx, keyID, projectID); err != nil {
		return err
	}
	for _, tg := range tags {
		if _, err := t.exec(ctx, "INSERT INTO tags (key_id, tag_key, tag_value) VALUES (?, ?, ?)", keyID, tg.Key, tg.Value); err != nil {
			return fmt.Errorf("store: replace %s: %w", what, err)
		}
	}
	if err := t.countTags(ctx, projectID, tags, 1); err != nil {
		return err
	}
	t.record(store.ChangeKey, keyID)
	return nil
}

// deleteTags removes every tag of a key of project projectID, and the key
// from the project's tag counts.
func (t *Tx) deleteTags(ctx context.Context, keyID, projectID string) error {
	old, err := list(ctx, &t.reader, "delete tags", "DELETE FROM tags WHERE key_id = ? RETURNING tag_key, tag_value", []any{keyID},
		func(s scanner) (tg domain.Tag, err error) { return tg, s.Scan(&tg.Key, &tg.Value) })
	if err != nil {
		return err
	}
	return t.countTags(ctx, projectID, old, -1)
}

// moveTags moves a key's tags from one project's tag counts to another's.
func (t *Tx) moveTags(ctx context.Context, keyID, from, to string) error {
	tags, err := t.ListTags(ctx, keyID)
	if err != nil {
		return err
	}
	if err := t.countTags(ctx, from, tags, -1); err != nil {
		return err
	}
	return t.countTags(ctx, to, tags, 1)
}
