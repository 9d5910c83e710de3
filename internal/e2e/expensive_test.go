package e2e

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	kms "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2"

	"github.com/kmsd/kmsd/internal/config"
)

// TestExpensiveOperationsAreThrottled holds every slot of a node's gate for
// expensive operations: RSA key generation (create-key, RSA data key pairs,
// import parameters) and password logins answer 429 APIGW.0308 after a short
// wait instead of queueing, while cheap operations are served; once the
// slots free, the same requests succeed.
func TestExpensiveOperationsAreThrottled(t *testing.T) {
	nd := startNode(t, func(c *config.Config) { c.Limits.ExpensiveOps = 1 })
	c := nd.client()
	aes := newKey(t, c, "AES_256", "", "")
	external := newKey(t, c, "AES_256", "", "external")
	release := holdExpensive(t, nd)

	_, err := tryKey(c, "RSA_2048", "", "")
	wantErr(t, err, 429, "APIGW.0308")
	_, err = createPair(t, c, aes, "RSA_2048", nil, "")
	wantErr(t, err, 429, "APIGW.0308")
	_, err = getImportParams(t, c, external)
	wantErr(t, err, 429, "APIGW.0308")
	status, h, body := nd.do("POST", "/v3/auth/tokens", tokenBody(testRegion, testPass), false, nil)
	wantRaw(t, status, h, body, 429, "APIGW.0308")
	if h.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}

	// Cheap operations do not need a slot.
	encryptOK(t, c, aes, "still served", "", nil)
	newKey(t, c, "EC_P256", "SIGN_VERIFY", "")
	if _, err := createPair(t, c, aes, "ECC_NIST_P256", nil, ""); err != nil {
		t.Fatalf("EC data key pair: %v", err)
	}

	release()
	newKey(t, c, "RSA_2048", "", "")
	mustParams(t, c, external)
	login(t, nd, testRegion, testPass)
}

// holdExpensive takes every slot of nd's gate for expensive operations
// until release is called (at the latest when the test ends).
func holdExpensive(t *testing.T, nd *node) (release func()) {
	t.Helper()
	g := nd.n.Expensive
	done := make(chan struct{})
	var held sync.WaitGroup
	for range g.Slots() {
		held.Add(1)
		go g.Do(context.Background(), func() error { held.Done(); <-done; return nil })
	}
	held.Wait()
	var once sync.Once
	release = func() { once.Do(func() { close(done) }) }
	t.Cleanup(release)
	return release
}

// TestLoginFloodLeavesTheDataPlaneServed runs six unauthenticated login
// loops (unknown users, so every attempt costs a full PBKDF2) against a node
// with the default bound on expensive operations, and measures another
// tenant's encrypt-data latency before and during the flood. Unbounded, six
// hashes at once on two cores raised the median from ~0.8 ms to ~50 ms;
// bounded, hashing takes at most half the CPUs. The medians are logged, not
// asserted (speed is measured, never a test threshold); the test checks
// that the flood ran and that every encrypt-data was served during it.
// TestExpensiveOperationsAreThrottled checks the bound itself.
func TestLoginFloodLeavesTheDataPlaneServed(t *testing.T) {
	if raceDetector {
		t.Skip("timings under the race detector say nothing; TestExpensiveOperationsAreThrottled checks the bound")
	}
	nd := startNode(t, func(c *config.Config) { c.Limits.ExpensiveOps = config.DefaultExpensiveOps() })
	c := nd.client()
	key := newKey(t, c, "AES_256", "", "")
	quiet := encryptMedian(t, c, key)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var answered [600]atomic.Int64 // by status
	for loop := range 6 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				status, _, _ := nd.do("POST", "/v3/auth/tokens", loginBody("admin", fmt.Sprintf("flood-%d-%d", loop, i), "guess"), false, nil)
				answered[status].Add(1)
			}
		})
	}
	for deadline := time.Now().Add(10 * time.Second); answered[401].Load() < 6 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond) // until the flood is under way
	}
	flooded := encryptMedian(t, c, key)
	close(stop)
	wg.Wait()
	t.Logf("encrypt-data median: quiet %v, during 6 login loops %v (%d logins refused 401, %d throttled 429)",
		quiet, flooded, answered[401].Load(), answered[429].Load())
	if answered[401].Load() == 0 {
		t.Fatal("no login was hashed: the flood did not run")
	}
}

// encryptMedian times encrypt-data calls for a second (at least 50).
func encryptMedian(t *testing.T, c *kms.KmsClient, key string) time.Duration {
	t.Helper()
	var ds []time.Duration
	for end := time.Now().Add(time.Second); len(ds) < 50 || time.Now().Before(end); {
		start := time.Now()
		encryptOK(t, c, key, "latency probe", "", nil)
		ds = append(ds, time.Since(start))
	}
	slices.Sort(ds)
	return ds[len(ds)/2]
}
