package cluster

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// TestRootKeyRotationOnceAcrossCluster runs two "kmsd rootkey rotate"
// processes at once on a PostgreSQL cluster whose nodes run with the old
// and the new root key: both succeed, the job is done once (its count of
// re-wrapped secrets is the number of secrets under the old key, as
// "kmsd backup --verify" counted them before), and a node with the new key
// alone serves every key and ciphertext made before.
func TestRootKeyRotationOnceAcrossCluster(t *testing.T) {
	c := startCluster(t, 1, "KMSD_KEY_QUOTA=100000")
	pg := []string{"--store", "postgres", "--postgres-dsn", c.dsn}
	load := startAckLoad(t, c.nodes[0].client(t), 2, "pg")
	load.waitAcked(t, 40)
	load.halt(t)
	keys, cts := load.acked()
	var old struct {
		Versions    int `json:"key_versions"`
		Credentials int `json:"credentials"`
		Settings    int `json:"settings"`
	}
	oldDir := dataDir(t, c.root)
	if err := json.Unmarshal([]byte(mustKmsd(t, append([]string{"backup", "--verify", "--data", oldDir}, pg...)...)), &old); err != nil {
		t.Fatal(err)
	}
	newDir := t.TempDir()
	mustKmsd(t, "rootkey", "create", newDir)
	both := append([]string{"--root-key", "file:" + newDir, "--root-key-previous", "file"}, pg...)
	c.nodes[0].stop()
	node := c.spawnArgs(append([]string{"serve", "--data", dataDir(t, c.root), "--listen", "127.0.0.1:0"}, both...)...)
	c.waitReady(node)

	var wg sync.WaitGroup
	outs := make([]string, 2)
	for i := range outs {
		args := append([]string{"rootkey", "rotate", "--batch", "3", "--data", dataDir(t, c.root)}, both...)
		wg.Go(func() {
			var err error
			if outs[i], err = kmsd(t, args...); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	want := fmt.Sprintf(" done: %d secrets re-wrapped ", old.Versions+old.Credentials+old.Settings)
	for i, out := range outs {
		if !strings.Contains(out, want) {
			t.Errorf("rotate process %d did not say %q:\n%s", i, want, out)
		}
	}
	check(t, node.client(t), keys, cts)
	node.stop()
	only := c.spawnArgs(append([]string{"serve", "--data", dataDir(t, c.root), "--listen", "127.0.0.1:0",
		"--root-key", "file:" + newDir}, pg...)...)
	c.waitReady(only)
	check(t, only.client(t), keys, cts)
}
