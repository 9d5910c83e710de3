package storetest

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
)

// Bench runs the benchmarks of the store's hot queries against a backend:
// key creation as create-key does it (project lock, quota count, key and
// first version), from parallel writers, and a list-keys page of 10 at the
// start and deep in projects of several sizes, by keyset cursor and by
// offset. open returns a fresh store per benchmark.
func Bench(b *testing.B, open func(b *testing.B) store.Store) {
	b.Run("CreateKeyWithQuota", func(b *testing.B) { benchCreate(b, open(b)) })
	for _, n := range []int{1_000, 20_000} {
		b.Run("ListKeysPage/keys="+strconv.Itoa(n), func(b *testing.B) { benchList(b, open(b), n) })
	}
}

// benchEnv creates an account and project for a benchmark.
func benchEnv(b *testing.B, s store.Store) (context.Context, domain.Project) {
	b.Helper()
	ctx := context.Background()
	acct := domain.Account{ID: newID(), Name: "bench-" + newID(), CreatedAt: base}
	p := domain.Project{ID: newID(), Name: "local-1", DomainID: acct.ID, CreatedAt: base}
	err := s.Update(ctx, func(tx store.Tx) error {
		if err := tx.CreateAccount(ctx, acct); err != nil {
			return err
		}
		return tx.CreateProject(ctx, p)
	})
	if err != nil {
		b.Fatal(err)
	}
	return ctx, p
}

// createKey is create-key's transaction: the project lock, the quota
// count, the key and its first version.
func createKey(ctx context.Context, tx store.Tx, k domain.Key, quota int) error {
	if err := tx.LockProject(ctx, k.ProjectID); err != nil {
		return err
	}
	n, err := tx.CountKeys(ctx, k.ProjectID)
	if err != nil {
		return err
	}
	if n >= quota {
		return fmt.Errorf("quota %d reached", quota)
	}
	if err := tx.CreateKey(ctx, k); err != nil {
		return err
	}
	return tx.CreateVersion(ctx, domain.KeyVersion{KeyID: k.ID, Version: 1, Wrapped: make([]byte, 60), RootKeyID: "bench", CreatedAt: k.CreatedAt})
}

func benchCreate(b *testing.B, s store.Store) {
	defer s.Close()
	ctx, p := benchEnv(b, s)
	b.SetParallelism(4) // writers per GOMAXPROCS: kmsd serves several connections per core
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			k := newKey(p)
			if err := s.Update(ctx, func(tx store.Tx) error { return createKey(ctx, tx, k, 1<<30) }); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func benchList(b *testing.B, s store.Store, n int) {
	defer s.Close()
	ctx, p := benchEnv(b, s)
	at := base
	for done := 0; done < n; {
		batch := min(1000, n-done)
		err := s.Update(ctx, func(tx store.Tx) error {
			for range batch {
				k := newKey(p)
				at = at.Add(time.Millisecond)
				k.CreatedAt = at
				if err := tx.CreateKey(ctx, k); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		done += batch
	}
	deep, _, err := s.ListKeys(ctx, store.KeyFilter{ProjectID: p.ID, Offset: n * 9 / 10, Limit: 1})
	if err != nil || len(deep) != 1 {
		b.Fatalf("key at 90%%: %v", err)
	}
	after := store.KeyCursor{CreatedAt: deep[0].CreatedAt, ID: deep[0].ID}
	for _, c := range []struct {
		name string
		f    store.KeyFilter
	}{
		{"first", store.KeyFilter{ProjectID: p.ID, Spec: domain.SpecAES256, Limit: 10}},
		{"deep-cursor", store.KeyFilter{ProjectID: p.ID, Spec: domain.SpecAES256, After: after, Limit: 10}},
		{"deep-offset", store.KeyFilter{ProjectID: p.ID, Spec: domain.SpecAES256, Offset: n * 9 / 10, Limit: 10}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				keys, total, err := s.ListKeys(ctx, c.f)
				if err != nil || len(keys) != 10 || total != n {
					b.Fatalf("ListKeys: %d keys, total %d, %v", len(keys), total, err)
				}
			}
		})
	}
}
