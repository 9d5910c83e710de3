package service

import (
	"context"
	"errors"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/op"
	"github.com/kmsd/kmsd/internal/store"
)

// DescribeKey returns a key the caller owns or holds a describe-key grant
// on, in any state. ref may be a key id, alias or alias URN. Strangers get
// KMS.0207, grantees without describe-key KMS.0306.
func (s *Service) DescribeKey(ctx context.Context, c domain.Caller, ref string) (domain.Key, error) {
	ck, err := s.readKey(ctx, c, ref, op.DescribeKey)
	if err != nil {
		return domain.Key{}, err
	}
	return ck.key, nil
}

// KeyQuery selects keys for ListKeys.
type KeyQuery struct {
	Limit  int             // 1-2000; 0 means the default 2000
	After  store.KeyCursor // start after this key (the API's keyset marker)
	Offset int             // or at this position (an old client's numeric marker)
	State  domain.KeyState // "" = any
	Spec   domain.KeySpec  // "" = any ("ALL" on the wire)
}

// MaxListKeys is list-keys' largest and default page size.
const MaxListKeys = 2000

// KeyPage is a page of ListKeys.
type KeyPage struct {
	Keys  []domain.Key
	Total int  // keys matching the query's filters, in the whole list
	More  bool // keys follow the last one of the page
}

// ListKeys returns a page of the caller's project's keys ordered by
// creation (then id), and the total number of matches. Its cost is that of
// the page, wherever it starts, and of reading maintained counts.
func (s *Service) ListKeys(ctx context.Context, c domain.Caller, q KeyQuery) (KeyPage, error) {
	if q.Limit == 0 {
		q.Limit = MaxListKeys
	}
	keys, total, err := s.store.ListKeys(ctx, store.KeyFilter{
		ProjectID: c.ProjectID, State: q.State, Spec: q.Spec, After: q.After, Offset: q.Offset, Limit: q.Limit + 1,
	})
	if err != nil {
		return KeyPage{}, kmserr.From(err)
	}
	p := KeyPage{Keys: keys, Total: total}
	if len(keys) > q.Limit {
		p.Keys, p.More = keys[:q.Limit], true
	}
	return p, nil
}

// Instances returns the number of the caller's project's non-default keys.
func (s *Service) Instances(ctx context.Context, c domain.Caller) (int, error) {
	n, err := s.store.CountKeys(ctx, c.ProjectID)
	if err != nil {
		return 0, kmserr.From(err)
	}
	return n, nil
}

// Quota is one entry of user-quotas.
type Quota struct {
	Type  string // "CMK" or "grant_per_CMK"
	Used  int
	Limit int
}

// Quotas reports the CMK quota (used = non-default keys) and the
// grant_per_CMK quota (used = the most grants on any one key).
func (s *Service) Quotas(ctx context.Context, c domain.Caller) ([]Quota, error) {
	keys, err := s.Instances(ctx, c)
	if err != nil {
		return nil, err
	}
	grants, err := s.store.MaxGrantsPerKey(ctx, c.ProjectID)
	if err != nil {
		return nil, kmserr.From(err)
	}
	return []Quota{
		{Type: "CMK", Used: keys, Limit: s.limits.KeysPerProject},
		{Type: "grant_per_CMK", Used: grants, Limit: s.limits.GrantsPerKey},
	}, nil
}

// KeyByAlias returns the caller's project's key whose key_alias is alias.
func (s *Service) KeyByAlias(ctx context.Context, c domain.Caller, alias string) (domain.Key, error) {
	k, err := s.store.GetKeyByAlias(ctx, c.ProjectID, alias)
	if err != nil {
		return domain.Key{}, notFound(err)
	}
	return k, nil
}

// Healthy reports whether the store answers, for load-balancer health
// checks: one small read.
func (s *Service) Healthy(ctx context.Context) error {
	_, err := s.store.GetSetting(ctx, "health-check")
	if err == nil || errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}
