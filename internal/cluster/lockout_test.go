package cluster

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/iam"
)

// TestLoginLockoutAcrossNodes counts wrong passwords on three nodes of one
// PostgreSQL database in turn: the fifth locks the user on every node, for
// the same 15 minutes of the shared clock.
func TestLoginLockoutAcrossNodes(t *testing.T) {
	c := newInCluster(t)
	nodes := []*inNode{c.mustOpen(false), c.mustOpen(false), c.mustOpen(false)}
	ctx := context.Background()
	login := func(nd *inNode, pw string) error {
		_, _, err := nd.n.IAM.Login(ctx, "admin", "", "admin", pw)
		return err
	}
	for i := range 5 {
		if err := login(nodes[i%3], "wrong"); !errors.Is(err, iam.ErrUnknown) {
			t.Fatalf("wrong password %d: %v", i+1, err)
		}
	}
	for i, nd := range nodes {
		if err := login(nd, testPass); !errors.Is(err, iam.ErrLocked) {
			t.Errorf("node %d after 5 failures spread over 3 nodes: %v, want ErrLocked", i, err)
		}
	}
	c.clock.Advance(15 * time.Minute)
	if err := login(nodes[2], testPass); err != nil {
		t.Fatalf("after the lock: %v", err)
	}
}
