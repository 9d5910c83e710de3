package cluster

import (
	"context"
	"sync"
	"testing"

	"github.com/kmsd/kmsd/internal/config"
	"github.com/kmsd/kmsd/internal/iam"
	"github.com/kmsd/kmsd/internal/testkit/pgtest"
)

// TestConcurrentBootstrap starts several nodes at once on a fresh schema,
// with generated and with fixed bootstrap identities: every node must start
// and all must agree on one account, project, user and access key, and
// exactly one of them must have created the user (it alone knows the
// generated password) and the access key (it alone prints the client
// environment by default).
func TestConcurrentBootstrap(t *testing.T) {
	pgtest.Require(t) // SKIP here, not PASS over skipped subtests
	tests := []struct {
		name string
		boot config.Bootstrap
	}{
		{"generated identities", config.Bootstrap{Region: testRegion, Domain: "admin", User: "admin"}},
		{"fixed identities", config.Bootstrap{Region: testRegion, Domain: "admin", User: "admin",
			Password: testPass, ProjectID: testProject, AccessKey: testAK, SecretKey: testSK}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newInCluster(t)
			c.boot = tc.boot
			res := openAtOnce(t, c, 4)
			creators, credCreators := 0, 0
			for i, r := range res {
				if r.Password != "" {
					creators++
				}
				if r.CredentialCreated {
					credCreators++
				}
				r.Password, r.CredentialCreated = res[0].Password, res[0].CredentialCreated
				if r != res[0] {
					t.Fatalf("node %d bootstrapped %+v, node 0 %+v", i, r, res[0])
				}
			}
			if creators != 1 || credCreators != 1 {
				t.Fatalf("%d nodes report creating the user and %d the access key, want 1 each", creators, credCreators)
			}
		})
	}
}

// openAtOnce opens n nodes concurrently and returns their bootstrap results.
func openAtOnce(t *testing.T, c *inCluster, n int) []iam.BootstrapResult {
	t.Helper()
	nodes := make([]*inNode, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { nodes[i], errs[i] = c.open(context.Background(), false) })
	}
	wg.Wait()
	for _, nd := range nodes {
		if nd != nil {
			t.Cleanup(func() { nd.close(t) })
		}
	}
	res := make([]iam.BootstrapResult, n)
	for i, nd := range nodes {
		if errs[i] != nil {
			t.Fatalf("node %d: %v", i, errs[i])
		}
		res[i] = nd.n.Bootstrap
	}
	return res
}
