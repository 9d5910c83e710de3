package iam

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/kmsd/kmsd/internal/rootkey"
	"github.com/kmsd/kmsd/internal/store/sqlite"
)

// TestEnsureBootstrapConcurrent starts the bootstrap of several services on
// one store at once, as nodes of a cluster do, and checks that they all
// succeed and agree on one account, project, user and credential, and that
// exactly one of them created the user (and so reports its password) and
// the credential (and so is the one node that prints the client environment).
func TestEnsureBootstrapConcurrent(t *testing.T) {
	tests := []struct {
		name string
		b    Bootstrap
	}{
		{"generated identities", Bootstrap{}},
		{"fixed identities", Bootstrap{Password: "pw", ProjectID: "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
			AccessKey: "RACEAK01234567890123", SecretKey: "RaceSecretKey0123456789abcdefghijklmnopq"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for round := range 3 {
				res := bootstrapAtOnce(t, tc.b, 4)
				created, credCreated := 0, 0
				for i, r := range res {
					if r.Password != "" {
						created++
					}
					if r.CredentialCreated {
						credCreated++
					}
					r.Password, r.CredentialCreated = res[0].Password, res[0].CredentialCreated
					if r != res[0] {
						t.Fatalf("round %d: node %d bootstrapped %+v, node 0 %+v", round, i, r, res[0])
					}
				}
				if created != 1 || credCreated != 1 {
					t.Fatalf("round %d: %d nodes report creating the user, %d the credential, want 1 each", round, created, credCreated)
				}
			}
		})
	}
}

// bootstrapAtOnce runs EnsureBootstrap from n services on a new store at once.
func bootstrapAtOnce(t *testing.T, b Bootstrap, n int) []BootstrapResult {
	t.Helper()
	dir := t.TempDir()
	st, err := sqlite.Open(filepath.Join(dir, "kmsd.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	root, err := rootkey.OpenFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	res := make([]BootstrapResult, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { res[i], errs[i] = New(Options{Store: st, Root: root}).EnsureBootstrap(context.Background(), b) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("node %d: %v", i, err)
		}
	}
	return res
}
