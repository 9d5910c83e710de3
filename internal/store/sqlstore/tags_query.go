package sqlstore

import (
	"context"
	"strings"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
)

// ListKeysByTags implements [store.Reader]. Each tag condition is a
// subquery on the tags_key_value index, so that the keys carrying a tag are
// found from the tag, not by testing every key of the project; the name condition a LIKE on the lower-cased
// alias, with LIKE's wildcards escaped.
func (r *reader) ListKeysByTags(ctx context.Context, f store.TagFilter) ([]domain.Key, int, error) {
	where := " FROM keys WHERE project_id = ? AND is_default = ?"
	args := []any{f.ProjectID, false}
	for _, m := range f.Tags {
		cond := "SELECT key_id FROM tags WHERE tag_key = ?"
		args = append(args, m.Key)
		if len(m.Values) > 0 {
			cond += " AND tag_value IN (" + marks(len(m.Values)) + ")"
			for _, v := range m.Values {
				args = append(args, v)
			}
		}
		where += " AND id IN (" + cond + ")"
	}
	if f.NameContains != "" {
		where += ` AND LOWER(key_alias) LIKE ? ESCAPE '\'`
		args = append(args, "%"+likeEscaper.Replace(strings.ToLower(f.NameContains))+"%")
	}
	var total int
	var err error
	if len(f.Tags) == 0 && f.NameContains == "" {
		total, err = r.keyTotal(ctx, f.ProjectID, "", "", true)
	} else {
		total, err = r.count(ctx, "list keys by tags", "SELECT COUNT(*)"+where, args...)
	}
	if err != nil {
		return nil, 0, err
	}
	lim, largs := page(f.Offset, f.Limit)
	out, err := list(ctx, r, "list keys by tags", "SELECT "+keyCols+where+" ORDER BY created_at, id"+lim,
		append(args, largs...), func(s scanner) (domain.Key, error) { return scanKey(s) })
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// ListTagsOf implements [store.Reader]. The map is never nil.
func (r *reader) ListTagsOf(ctx context.Context, keyIDs []string) (map[string][]domain.Tag, error) {
	out := make(map[string][]domain.Tag)
	for len(keyIDs) > 0 {
		n := min(len(keyIDs), 500) // bounded statement size
		args := make([]any, n)
		for i, id := range keyIDs[:n] {
			args[i] = id
		}
		type keyTag struct {
			keyID string
			tag   domain.Tag
		}
		tags, err := list(ctx, r, "list tags of keys", "SELECT key_id, tag_key, tag_value FROM tags WHERE key_id IN ("+
			marks(n)+") ORDER BY key_id, tag_key", args,
			func(s scanner) (kt keyTag, err error) { return kt, s.Scan(&kt.keyID, &kt.tag.Key, &kt.tag.Value) })
		if err != nil {
			return nil, err
		}
		for _, kt := range tags {
			out[kt.keyID] = append(out[kt.keyID], kt.tag)
		}
		keyIDs = keyIDs[n:]
	}
	return out, nil
}

// marks returns n comma-separated placeholders.
func marks(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }
