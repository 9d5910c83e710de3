package cluster

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/rootkey"
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
	if out := p.log.tail(); strings.Contains(out, "kmsd listening") || strings.Contains(out, "panic") || !strings.Contains(out, "the root key does not match this database") {
		t.Fatalf("unexpected output of the refused node:\n%s", out)
	}
	sdktest.MustCreateKey(t, c.nodes[0].client(t), "still-serving", nil)
}

// TestNodeWithoutRootKeyRefusesToStart: a node whose data directory has no
// root key file, joining an existing database, refuses to start and creates
// no root key (a new one could decrypt nothing the database holds).
func TestNodeWithoutRootKeyRefusesToStart(t *testing.T) {
	c := startCluster(t, 1)
	data := t.TempDir()
	p := c.spawnArgs("serve", "--store", "postgres", "--postgres-dsn", c.dsn, "--data", data, "--listen", "127.0.0.1:0")
	select {
	case <-p.exited:
	case <-time.After(startTimeout):
		t.Fatalf("a node without a root key did not exit within %v", startTimeout)
	}
	if out := p.log.tail(); p.cmd.ProcessState.Success() || strings.Contains(out, "kmsd listening") || !strings.Contains(out, "is missing, but this database already holds keys") {
		t.Fatalf("unexpected end of the node without a root key:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(data, rootkey.FileName)); !os.IsNotExist(err) {
		t.Errorf("the node created a root key next to an existing database (%v)", err)
	}
}
