package iam

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/rootkey"
	"github.com/kmsd/kmsd/internal/store/postgres"
	"github.com/kmsd/kmsd/internal/testkit/pgtest"
)

// TestQuotasUnderConcurrency races creations on two services (two nodes)
// sharing one PostgreSQL store: an account ends with exactly MaxUsers
// users and MaxGroups groups, and a user with exactly MaxKeysPerUser
// access keys, however the creations interleave.
func TestQuotasUnderConcurrency(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	root, err := rootkey.OpenFile(filepath.Join(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	var nodes []*Service
	for range 2 {
		st, err := postgres.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		nodes = append(nodes, New(Options{Store: st, Root: root}))
	}
	boot, err := nodes[0].EnsureBootstrap(ctx, Bootstrap{})
	if err != nil {
		t.Fatal(err)
	}
	race := func(n int, create func(s *Service, i int) error, quota *kmserr.Error) int {
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok := 0
		for i := range n {
			wg.Go(func() {
				err := create(nodes[i%2], i)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case !errors.Is(err, quota):
					t.Errorf("creation %d: %v", i, err)
				}
			})
		}
		wg.Wait()
		return ok
	}
	users := race(MaxUsers+10, func(s *Service, i int) error {
		_, err := s.CreateUser(ctx, boot.DomainID, UserSpec{Name: fmt.Sprintf("u%d", i)})
		return err
	}, kmserr.IAMUserQuota)
	if users != MaxUsers-1 { // the bootstrap user is one
		t.Errorf("%d users created, want %d", users, MaxUsers-1)
	}
	groups := race(MaxGroups+5, func(s *Service, i int) error {
		_, err := s.CreateGroup(ctx, boot.DomainID, fmt.Sprintf("g%d", i), "")
		return err
	}, kmserr.IAMQuota)
	if groups != MaxGroups-1 { // the admin group is one
		t.Errorf("%d groups created, want %d", groups, MaxGroups-1)
	}
	u, err := nodes[0].store.GetUserByName(ctx, boot.DomainID, "u0")
	if err != nil {
		u, err = nodes[0].store.GetUserByName(ctx, boot.DomainID, "u1")
	}
	if err != nil {
		t.Fatal(err)
	}
	keys := race(6, func(s *Service, _ int) error {
		_, err := s.CreateAccessKey(ctx, boot.DomainID, u.ID, "")
		return err
	}, kmserr.IAMQuota)
	if keys != MaxKeysPerUser {
		t.Errorf("%d access keys created, want %d", keys, MaxKeysPerUser)
	}
}
