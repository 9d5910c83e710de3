package service

import (
	"context"
	"slices"
	"strings"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/store"
)

// TagFilter is one tags entry of resource_instances: the key must carry tag
// Key with one of Values (any value when Values is empty).
type TagFilter struct {
	Key    string
	Values []string
}

// TagQuery selects keys for ListByTags. All Tags must match (AND across
// keys, OR within one key's values). NameContains, when not empty, must be
// a case-insensitive substring of the key's key_alias (the resource_name
// match). Offset and Limit (0 = no limit) page the result.
type TagQuery struct {
	Tags         []TagFilter
	NameContains string
	Offset       int
	Limit        int
}

// TaggedKey is one resource of ListByTags.
type TaggedKey struct {
	Key  domain.Key
	Tags []domain.Tag // ordered by tag key; never nil
}

// ListByTags returns a page of the caller's project's customer keys (default
// keys carry no tags and are never listed) matching q, in creation order,
// and the total number of matches.
func (s *Service) ListByTags(ctx context.Context, c domain.Caller, q TagQuery) ([]TaggedKey, int, error) {
	keys, _, err := s.store.ListKeys(ctx, store.KeyFilter{ProjectID: c.ProjectID})
	if err != nil {
		return nil, 0, kmserr.From(err)
	}
	byKey, err := s.store.ListProjectTags(ctx, c.ProjectID)
	if err != nil {
		return nil, 0, kmserr.From(err)
	}
	var hits []TaggedKey
	for _, k := range keys {
		tags := byKey[k.ID]
		if k.Default || !q.matches(k, tags) {
			continue
		}
		if tags == nil {
			tags = []domain.Tag{}
		}
		hits = append(hits, TaggedKey{Key: k, Tags: tags})
	}
	total := len(hits)
	hits = hits[min(q.Offset, total):]
	if q.Limit > 0 && len(hits) > q.Limit {
		hits = hits[:q.Limit]
	}
	return hits, total, nil
}

func (q TagQuery) matches(k domain.Key, tags []domain.Tag) bool {
	if q.NameContains != "" && !strings.Contains(strings.ToLower(k.Alias), strings.ToLower(q.NameContains)) {
		return false
	}
	for _, f := range q.Tags {
		i := slices.IndexFunc(tags, func(t domain.Tag) bool { return t.Key == f.Key })
		if i < 0 || (len(f.Values) > 0 && !slices.Contains(f.Values, tags[i].Value)) {
			return false
		}
	}
	return true
}
