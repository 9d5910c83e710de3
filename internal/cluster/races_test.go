package cluster

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"

	"github.com/kmsd/kmsd/internal/testkit/sdktest"
)

// hammer runs attempt from workers goroutines per node, each attempts times,
// all released at once, and counts successes and refusals with code; any
// other outcome fails the test.
func hammer(t *testing.T, c *cluster, workers, attempts int, code string, attempt func(cl *kmsClient, n int) error) (ok, refused int) {
	t.Helper()
	var okN, refusedN atomic.Int64
	var seq atomic.Int64
	errs := make(chan error, len(c.nodes)*workers*attempts)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for _, p := range c.nodes {
		for range workers {
			cl := p.client(t)
			wg.Go(func() {
				<-start
				for range attempts {
					err := attempt(cl, int(seq.Add(1)))
					_, cd, _ := sdktest.ServiceError(err)
					switch {
					case err == nil:
						okN.Add(1)
					case cd == code:
						refusedN.Add(1)
					default:
						errs <- err
					}
				}
			})
		}
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("unexpected outcome: %v", err)
	}
	return int(okN.Load()), int(refusedN.Load())
}

// TestQuotaHoldsUnderConcurrentCreates creates keys from 3 nodes x 6
// goroutines with a CMK quota of 10: exactly 10 keys exist afterwards, every
// other attempt is refused with KMS.1105, and every node agrees.
func TestQuotaHoldsUnderConcurrentCreates(t *testing.T) {
	const quota = 10
	c := startCluster(t, 3, fmt.Sprintf("KMSD_KEY_QUOTA=%d", quota))
	ok, refused := hammer(t, c, 6, 3, "KMS.1105", func(cl *kmsClient, n int) error {
		_, err := sdktest.CreateKey(cl, fmt.Sprintf("quota-%d", n), nil)
		return err
	})
	if ok != quota || refused != 3*6*3-quota {
		t.Fatalf("%d creates succeeded and %d were refused; want %d and %d", ok, refused, quota, 3*6*3-quota)
	}
	for _, p := range c.nodes {
		r, err := p.client(t).ShowUserInstances(&model.ShowUserInstancesRequest{})
		if err != nil || *r.InstanceNum != quota {
			t.Fatalf("%s: user-instances %v %v, want %d", p.name, r, err, quota)
		}
	}
}

// TestAliasUniqueUnderConcurrentCreates creates keys with one alias from 3
// nodes x 6 goroutines at once: exactly one wins, the rest get KMS.1104.
func TestAliasUniqueUnderConcurrentCreates(t *testing.T) {
	c := startCluster(t, 3)
	for round := range 3 {
		alias := fmt.Sprintf("contested-%d", round)
		ok, refused := hammer(t, c, 6, 1, "KMS.1104", func(cl *kmsClient, _ int) error {
			_, err := sdktest.CreateKey(cl, alias, nil)
			return err
		})
		if ok != 1 || refused != 3*6-1 {
			t.Fatalf("alias %s: %d creates succeeded, %d refused; want 1 and %d", alias, ok, refused, 3*6-1)
		}
	}
	lk, err := c.nodes[0].client(t).ListKeys(&model.ListKeysRequest{Body: &model.ListKeysRequestBody{}})
	if err != nil || *lk.Total != 3 {
		t.Fatalf("list-keys: %v %v, want 3 keys", lk, err)
	}
}
