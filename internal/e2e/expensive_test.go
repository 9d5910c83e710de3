package e2e

import (
	"context"
	"sync"
	"testing"

	"github.com/kmsd/kmsd/internal/config"
)

// TestExpensiveOperationsAreThrottled holds every slot of a node's gate for
// expensive operations: RSA key generation (create-key, RSA data key pairs,
// import parameters) and password logins answer 429 APIG.0308 after a short
// wait instead of queueing, while cheap operations are served; once the
// slots free, the same requests succeed.
func TestExpensiveOperationsAreThrottled(t *testing.T) {
	nd := startNode(t, func(c *config.Config) { c.Limits.ExpensiveOps = 1 })
	c := nd.client()
	aes := newKey(t, c, "AES_256", "", "")
	external := newKey(t, c, "AES_256", "", "external")
	release := holdExpensive(t, nd)

	_, err := tryKey(c, "RSA_2048", "", "")
	wantErr(t, err, 429, "APIG.0308")
	_, err = createPair(t, c, aes, "RSA_2048", nil, "")
	wantErr(t, err, 429, "APIG.0308")
	_, err = getImportParams(t, c, external)
	wantErr(t, err, 429, "APIG.0308")
	status, h, body := nd.do("POST", "/v3/auth/tokens", tokenBody(testRegion, testPass), false, nil)
	wantRaw(t, status, h, body, 429, "APIG.0308")
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
