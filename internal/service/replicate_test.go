package service

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
	"github.com/kmsd/kmsd/internal/testkit"
)

// TestDeletedKeysTakeTheirReplicaLinks: the background deletion of a
// replica removes its link, and that of a primary the links of its
// replicas, which then stand alone; material groups stay, so ciphertexts
// of deleted keys still open with the rest of their group.
func TestDeletedKeysTakeTheirReplicaLinks(t *testing.T) {
	st, root := sharedStore(t)
	ctx := context.Background()
	region := func(n string) domain.Caller {
		return domain.Caller{UserID: testCaller.UserID, DomainID: testCaller.DomainID,
			ProjectID: "p000000000000000000000000000000" + n, Region: "local-" + n}
	}
	r2, r3 := region("2"), region("3")
	err := st.Update(ctx, func(tx store.Tx) error {
		return errors.Join(
			tx.CreateProject(ctx, domain.Project{ID: r2.ProjectID, Name: r2.Region, DomainID: r2.DomainID}),
			tx.CreateProject(ctx, domain.Project{ID: r3.ProjectID, Name: r3.Region, DomainID: r3.DomainID}))
	})
	if err != nil {
		t.Fatal(err)
	}
	clock := testkit.NewClock(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	s := newTestService(st, root, clock.Now)
	p, err := s.CreateKey(ctx, testCaller, NewKey{Alias: "mrk"})
	if err != nil {
		t.Fatal(err)
	}
	replicate := func(c domain.Caller, id string, to domain.Caller) domain.Key {
		t.Helper()
		k, err := s.ReplicateKey(ctx, c, ReplicaInput{KeyID: id, Region: to.Region, ProjectID: to.ProjectID, Alias: "mrk"})
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	k2, k3 := replicate(testCaller, p.ID, r2), replicate(testCaller, p.ID, r3)
	sealed, err := s.EncryptData(ctx, r2, EncryptInput{KeyRef: k2.ID, Plaintext: []byte("kept")})
	if err != nil {
		t.Fatal(err)
	}
	deleteNow := func(c domain.Caller, id string) {
		t.Helper()
		if _, err := s.ScheduleDeletion(ctx, c, id, domain.MinPendingDays); err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Duration(domain.MinPendingDays+1) * 24 * time.Hour)
		if _, err := s.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
	}

	deleteNow(r2, k2.ID)
	if _, err := st.GetReplicaLink(ctx, k2.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("link of a deleted replica: %v, want none", err)
	}
	if links, _ := st.ListReplicas(ctx, p.ID); len(links) != 1 || links[0].KeyID != k3.ID {
		t.Errorf("replicas of the primary after deleting one: %+v, want only %s", links, k3.ID)
	}
	if _, err := s.DecryptData(ctx, testCaller, DecryptInput{KeyRef: p.ID, Ciphertext: sealed.Blob}); err != nil {
		t.Errorf("the primary no longer opens a deleted replica's ciphertext: %v", err)
	}

	deleteNow(testCaller, p.ID)
	if _, err := st.GetReplicaLink(ctx, k3.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("link to a deleted primary: %v, want none", err)
	}
	replicate(r3, k3.ID, r2) // stands alone: may be replicated
	for _, id := range []string{k2.ID, k3.ID} {
		if g, err := st.GetMaterialGroup(ctx, id); err != nil || g != p.ID {
			t.Errorf("material group of %s after the deletions: %q, %v; want %s", id, g, err, p.ID)
		}
	}
}
