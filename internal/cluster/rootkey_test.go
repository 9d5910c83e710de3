package cluster

import (
	"strings"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/testkit/sdktest"
)

// TestNodeWithAnotherRootKeyRefusesToStart starts a fourth node on the
// cluster's database with a different root key file: it must exit with an
// error instead of serving (it cannot unwrap the stored bootstrap secret,
// the token-signing key or any key material), without crashing, and the
// cluster must keep serving.
func TestNodeWithAnotherRootKeyRefusesToStart(t *testing.T) {
	c := startCluster(t, 1)
	p := c.spawnWithRoot(newRootKey(t))
	select {
	case <-p.exited:
	case <-time.After(startTimeout):
		t.Fatalf("a node with another root key did not exit within %v", startTimeout)
	}
	if p.cmd.ProcessState.Success() {
		t.Fatal("a node with another root key exited with status 0")
	}
	if out := p.log.tail(); strings.Contains(out, "kmsd listening") || strings.Contains(out, "panic") || !strings.Contains(out, "rootkey: unwrap failed") {
		t.Fatalf("unexpected output of the refused node:\n%s", out)
	}
	sdktest.MustCreateKey(t, c.nodes[0].client(t), "still-serving", nil)
}
