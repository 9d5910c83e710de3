package service

import (
	"context"

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
// and the total number of matches. The store does the matching: a page
// reads the page's keys and their tags, not the project's.
func (s *Service) ListByTags(ctx context.Context, c domain.Caller, q TagQuery) ([]TaggedKey, int, error) {
	f := store.TagFilter{ProjectID: c.ProjectID, NameContains: q.NameContains, Offset: q.Offset, Limit: q.Limit}
	for _, t := range q.Tags {
		f.Tags = append(f.Tags, store.TagMatch{Key: t.Key, Values: t.Values})
	}
	keys, total, err := s.store.ListKeysByTags(ctx, f)
	if err != nil {
		return nil, 0, kmserr.From(err)
	}
	ids := make([]string, len(keys))
	for i, k := range keys {
		ids[i] = k.ID
	}
	byKey, err := s.store.ListTagsOf(ctx, ids)
	if err != nil {
		return nil, 0, kmserr.From(err)
	}
	var hits []TaggedKey
	for _, k := range keys {
		tags := byKey[k.ID]
		if tags == nil {
			tags = []domain.Tag{}
		}
		hits = append(hits, TaggedKey{Key: k, Tags: tags})
	}
	return hits, total, nil
}
