package cluster

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/op"
	"github.com/kmsd/kmsd/internal/service"
)

// TestCacheTTLBoundsStalenessWithoutNotifications is the backstop of
// TestInvalidationBound: node B runs no change watcher, as if every
// notification to it were lost. After node A disables a key that B has
// cached, B must go on serving the old state (proving the watcher is really
// off) and refuse with KMS.0209 once its entry expires, within the
// documented bound.
func TestCacheTTLBoundsStalenessWithoutNotifications(t *testing.T) {
	c := newInCluster(t)
	a, b := c.mustOpen(false), c.mustOpen(false) // neither serves: no watchers
	ctx, caller := context.Background(), a.caller()
	k, err := a.n.Service.CreateKey(ctx, caller, service.NewKey{Alias: "ttl"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.n.Service.UseKey(ctx, caller, k.ID, op.EncryptData); err != nil {
		t.Fatalf("use on B before the change: %v", err)
	}
	if _, err := a.n.Service.DisableKey(ctx, caller, k.ID); err != nil {
		t.Fatal(err)
	}
	ack := time.Now()
	var lastServed time.Duration = -1
	for {
		start := time.Now()
		_, err := b.n.Service.UseKey(ctx, caller, k.ID, op.EncryptData)
		if err == nil {
			lastServed = start.Sub(ack)
			if lastServed > invalidationBound+time.Second {
				t.Fatalf("B still serves the disabled key %v after the change", lastServed)
			}
			time.Sleep(5 * time.Millisecond)
			continue
		}
		if !errors.Is(err, kmserr.KeyDisabled) {
			t.Fatalf("B: want KMS.0209, got %v", err)
		}
		break
	}
	t.Logf("without notifications B served the old state until %v after the change (bound %v)", lastServed, invalidationBound)
	if lastServed < 0 {
		t.Fatal("B never served the cached state: the test did not exercise the cache TTL")
	}
	if lastServed >= invalidationBound {
		t.Fatalf("B served the old state %v after the change: beyond the %v bound", lastServed, invalidationBound)
	}
}
