package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/kmsd/kmsd/internal/domain"
)

// The key_counts and tag_counts tables (schema version 8) hold counts that
// every write of keys and tags maintains in the same transaction, so that
// quotas, totals and the project's tag list never count rows.

// keyClass is what key_counts counts keys by.
type keyClass struct {
	project, spec, state string
	isDefault            bool
}

func classOf(k domain.Key) keyClass {
	return keyClass{project: k.ProjectID, spec: string(k.Spec), state: string(k.State), isDefault: k.Default}
}

func (c keyClass) less(o keyClass) bool {
	if c.project != o.project {
		return c.project < o.project
	}
	if c.spec != o.spec {
		return c.spec < o.spec
	}
	if c.state != o.state {
		return c.state < o.state
	}
	return !c.isDefault && o.isDefault
}

const addKeyCount = `INSERT INTO key_counts (project_id, key_spec, key_state, is_default, n) VALUES (?, ?, ?, ?, ?)
	ON CONFLICT (project_id, key_spec, key_state, is_default) DO UPDATE SET n = key_counts.n + excluded.n`

// countKey adds delta to the count of keys of class c.
func (t *Tx) countKey(ctx context.Context, c keyClass, delta int64) error {
	if _, err := t.exec(ctx, addKeyCount, c.project, c.spec, c.state, c.isDefault, delta); err != nil {
		return fmt.Errorf("store: count keys of project %q: %w", c.project, err)
	}
	return nil
}

// moveKey moves one key from class from to class to. The two rows are
// updated in a fixed order, so that concurrent moves (PostgreSQL row
// locks) cannot deadlock.
func (t *Tx) moveKey(ctx context.Context, from, to keyClass) error {
	if from == to {
		return nil
	}
	if to.less(from) {
		if err := t.countKey(ctx, to, 1); err != nil {
			return err
		}
		return t.countKey(ctx, from, -1)
	}
	if err := t.countKey(ctx, from, -1); err != nil {
		return err
	}
	return t.countKey(ctx, to, 1)
}

// keyTotal sums the counts of a project's keys with the given spec and
// state ("" = any); customerOnly leaves default keys out.
func (r *reader) keyTotal(ctx context.Context, projectID, spec, state string, customerOnly bool) (int, error) {
	where := []string{"project_id = ?"}
	args := []any{projectID}
	for _, f := range []struct{ col, v string }{{"key_spec", spec}, {"key_state", state}} {
		if f.v != "" {
			where = append(where, f.col+" = ?")
			args = append(args, f.v)
		}
	}
	if customerOnly {
		where = append(where, "is_default = ?")
		args = append(args, false)
	}
	return r.count(ctx, "count keys", "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM key_counts WHERE "+
		strings.Join(where, " AND "), args...)
}

const addTagCount = `INSERT INTO tag_counts (project_id, tag_key, tag_value, n) VALUES (?, ?, ?, 1)
	ON CONFLICT (project_id, tag_key, tag_value) DO UPDATE SET n = tag_counts.n + 1`

// countTags adds (delta > 0) or removes (delta < 0) one key carrying each
// of tags in a project's tag counts. A (tag key, value) no key carries any
// more is removed.
func (t *Tx) countTags(ctx context.Context, projectID string, tags []domain.Tag, delta int) error {
	for _, tg := range tags {
		var err error
		if delta > 0 {
			_, err = t.exec(ctx, addTagCount, projectID, tg.Key, tg.Value)
		} else {
			_, err = t.exec(ctx, "UPDATE tag_counts SET n = n - 1 WHERE project_id = ? AND tag_key = ? AND tag_value = ?",
				projectID, tg.Key, tg.Value)
			if err == nil {
				_, err = t.exec(ctx, "DELETE FROM tag_counts WHERE project_id = ? AND tag_key = ? AND tag_value = ? AND n <= 0",
					projectID, tg.Key, tg.Value)
			}
		}
		if err != nil {
			return fmt.Errorf("store: count tags of project %q: %w", projectID, err)
		}
	}
	return nil
}

// ListProjectTagValues implements [store.Reader].
func (r *reader) ListProjectTagValues(ctx context.Context, projectID string) ([]domain.Tag, error) {
	return list(ctx, r, "list project tag values",
		"SELECT tag_key, tag_value FROM tag_counts WHERE project_id = ? AND n > 0 ORDER BY tag_key, tag_value",
		[]any{projectID}, func(s scanner) (tg domain.Tag, err error) { return tg, s.Scan(&tg.Key, &tg.Value) })
}
