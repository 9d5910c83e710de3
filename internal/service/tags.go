package service

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/op"
	"github.com/kmsd/kmsd/internal/store"
)

// Tag limits (management-api.md §2.3, §5).
const (
	MaxTagKeyChars   = 36
	MaxTagValueChars = 43
)

// tagForbidden lists the characters a tag key or value must not contain
// besides ASCII control characters 0-31.
const tagForbidden = `*<>\=`

func badTagChars(s string) bool {
	if !utf8.ValidString(s) || strings.ContainsAny(s, tagForbidden) {
		return true
	}
	return strings.ContainsFunc(s, func(r rune) bool { return r < 32 })
}

// CheckTagKey validates a tag key: 1-36 Unicode characters (KMS.0411),
// valid UTF-8 without ASCII 0-31 or *<>\= (KMS.0406).
func CheckTagKey(k string) error {
	if n := utf8.RuneCountInString(k); n == 0 || n > MaxTagKeyChars {
		return kmserr.TagKeyLength.Msgf("A tag key must be 1-%d characters, got %d.", MaxTagKeyChars, n)
	}
	if badTagChars(k) {
		return kmserr.InvalidTagKey.Msgf("A tag key must not contain ASCII control characters or any of %s.", tagForbidden)
	}
	return nil
}

// CheckTagValue validates a tag value: 0-43 Unicode characters (KMS.0410),
// same characters rule as keys (KMS.0405).
func CheckTagValue(v string) error {
	if n := utf8.RuneCountInString(v); n > MaxTagValueChars {
		return kmserr.TagValueLength.Msgf("A tag value must be 0-%d characters, got %d.", MaxTagValueChars, n)
	}
	if badTagChars(v) {
		return kmserr.InvalidTagValue.Msgf("A tag value must not contain ASCII control characters or any of %s.", tagForbidden)
	}
	return nil
}

// AddTags adds tags to key ref, overwriting the value of tag keys it already
// has. More than Limits.TagsPerKey tags in the result answer KMS.0409;
// default keys KMS.0211; keys pending deletion KMS.0210. Owner only.
func (s *Service) AddTags(ctx context.Context, c domain.Caller, ref string, add []domain.Tag) error {
	return s.changeTags(ctx, c, ref, op.CreateKmsTag, func(cur []domain.Tag) ([]domain.Tag, error) {
		for _, t := range add {
			if i := slices.IndexFunc(cur, func(x domain.Tag) bool { return x.Key == t.Key }); i >= 0 {
				cur[i].Value = t.Value
				continue
			}
			cur = append(cur, t)
		}
		if len(cur) > s.limits.TagsPerKey {
			return nil, kmserr.TooManyTags.Msgf("A key has at most %d tags; this would make %d.", s.limits.TagsPerKey, len(cur))
		}
		return cur, nil
	})
}

// RemoveTags removes the named tag keys from key ref; absent keys are
// ignored unless mustExist, when the first absent key answers 404 KMS.0416.
// Same state rules as AddTags.
func (s *Service) RemoveTags(ctx context.Context, c domain.Caller, ref string, keys []string, mustExist bool) error {
	return s.changeTags(ctx, c, ref, op.DeleteTag, func(cur []domain.Tag) ([]domain.Tag, error) {
		for _, k := range keys {
			i := slices.IndexFunc(cur, func(x domain.Tag) bool { return x.Key == k })
			if i < 0 && mustExist {
				return nil, kmserr.TagNotFound.Msgf("The key has no tag %q.", k)
			}
			if i >= 0 {
				cur = slices.Delete(cur, i, i+1)
			}
		}
		return cur, nil
	})
}

// changeTags replaces key ref's tags with fn(current) for action, a tag
// operation no grant lists (so: owner only).
func (s *Service) changeTags(ctx context.Context, c domain.Caller, ref string, action op.Name,
	fn func([]domain.Tag) ([]domain.Tag, error)) error {
	id, err := s.ResolveKeyRef(ctx, c, ref)
	if err != nil {
		return err
	}
	return s.keyTx(ctx, c, id, action, false, func(tx store.Tx, k *domain.Key) error {
		if err := checkMutable(k); err != nil {
			return err
		}
		cur, err := tx.ListTags(ctx, k.ID)
		if err != nil {
			return err
		}
		next, err := fn(cur)
		if err != nil {
			return err
		}
		return tx.ReplaceTags(ctx, k.ID, next)
	})
}

// Tags returns the tags of key ref ordered by tag key (owner only).
func (s *Service) Tags(ctx context.Context, c domain.Caller, ref string) ([]domain.Tag, error) {
	ck, err := s.readKey(ctx, c, ref, op.ShowKmsTags)
	if err != nil {
		return nil, err
	}
	tags, err := s.store.ListTags(ctx, ck.key.ID)
	if err != nil {
		return nil, kmserr.From(err)
	}
	return tags, nil
}

// ProjectTag is one tag key used in a project with its distinct values.
type ProjectTag struct {
	Key    string
	Values []string // sorted
}

// ProjectTags returns every tag key used on the caller's project's keys,
// sorted, each with its sorted distinct values.
func (s *Service) ProjectTags(ctx context.Context, c domain.Caller) ([]ProjectTag, error) {
	tags, err := s.store.ListProjectTagValues(ctx, c.ProjectID)
	if err != nil {
		return nil, kmserr.From(err)
	}
	out := []ProjectTag{}
	for _, t := range tags { // ordered by key, then value
		if n := len(out); n > 0 && out[n-1].Key == t.Key {
			out[n-1].Values = append(out[n-1].Values, t.Value)
			continue
		}
		out = append(out, ProjectTag{Key: t.Key, Values: []string{t.Value}})
	}
	return out, nil
}
