package e2e

import (
	"fmt"
	"sync"
	"testing"
)

// TestReplicateKeyConcurrent replicates one key to one region from many
// goroutines at once: exactly one replica is made, the others are refused.
func TestReplicateKeyConcurrent(t *testing.T) {
	nd := startNode(t, withSeed(t, regionsSeed))
	c1 := nd.client()
	id := createKey(t, c1, "mrk", nil)
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = replicate(c1, id, "local-2", region2Project, fmt.Sprintf("copy-%d", i))
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
			continue
		}
		wantErr(t, err, 400, "KMS.0308")
	}
	if ok != 1 {
		t.Fatalf("%d replications succeeded, want 1", ok)
	}
	if keys := listKeysIn(t, nd.clientFor(testAK, testSK, region2Project)); len(keys) != 1 {
		t.Fatalf("local-2 holds %d keys, want 1", len(keys))
	}
}
