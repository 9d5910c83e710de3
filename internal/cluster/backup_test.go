package cluster

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kmsd/kmsd/internal/testkit/sdktest"
)

// TestBackupUnderWriteLoadRestores takes "kmsd backup --to" of a node's
// embedded store while a write load runs on it, restores the snapshot with
// "kmsd restore" into a new data directory holding the root key, and starts
// a node there: every key and access key acknowledged before the backup
// started is there, and every ciphertext made before it decrypts. A
// corrupted snapshot, and the snapshot restored next to another root key,
// are refused without leaving a database behind, and the snapshot does not
// hold the root key.
func TestBackupUnderWriteLoadRestores(t *testing.T) {
	c := &cluster{t: t, root: newRootKey(t), env: []string{"KMSD_KEY_QUOTA=100000"}}
	t.Cleanup(c.cleanup)
	dir := dataDir(t, c.root)
	p := c.spawnArgs("serve", "--data", dir, "--listen", "127.0.0.1:0")
	c.waitReady(p)
	load := startAckLoad(t, p.client(t), 3, "backup")
	load.waitAcked(t, 60)
	creds := []sdktest.Credential{adminCredential(t, dir), adminCredential(t, dir)}
	keys, cts := load.acked()
	snap := filepath.Join(t.TempDir(), "kmsd.snapshot")
	out := mustKmsd(t, "backup", "--to", snap, "--data", dir)
	load.waitAcked(t, 30) // the node kept serving writes
	load.halt(t)
	var res struct {
		RootKeyID string `json:"root_key_id"`
		Secrets   int    `json:"secrets"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || !strings.HasPrefix(res.RootKeyID, "file:") || res.Secrets < len(keys) {
		t.Fatalf("backup output %q (%v): want the root key id and at least %d secrets", out, err, len(keys))
	}
	if b, err := os.ReadFile(snap); err != nil || bytes.Contains(b, c.root) {
		t.Fatalf("the snapshot holds the root key (or cannot be read: %v)", err)
	}
	t.Logf("backup during the load: %d keys and %d ciphertexts acknowledged before it; %d secrets in the snapshot", len(keys), len(cts), res.Secrets)

	// Refused: a corrupted snapshot, and a data directory with another root key.
	bad := corrupted(t, snap)
	for _, tc := range []struct {
		name, from, dir, want string
	}{
		{"corrupted", bad, dataDir(t, c.root), "not an intact kmsd snapshot"},
		{"other root key", snap, dataDir(t, newRootKey(t)), "belongs to another root key"},
		{"no root key", snap, t.TempDir(), "needs the root key"},
	} {
		_, err := kmsd(t, "restore", "--from", tc.from, "--data", tc.dir)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("restore of a %s snapshot: %v, want a refusal saying %q", tc.name, err, tc.want)
		}
		if _, err := os.Stat(filepath.Join(tc.dir, "kmsd.db")); !os.IsNotExist(err) {
			t.Errorf("restore of a %s snapshot left a database: %v", tc.name, err)
		}
	}

	restored := dataDir(t, c.root)
	mustKmsd(t, "restore", "--from", snap, "--data", restored)
	if _, err := kmsd(t, "restore", "--from", snap, "--data", restored); err == nil {
		t.Error("a restore over an existing store succeeded")
	}
	again := c.spawnArgs("serve", "--data", restored, "--listen", "127.0.0.1:0")
	c.waitReady(again)
	check(t, again.client(t), keys, cts)
	for _, cr := range creds {
		if _, err := sdktest.Describe(again.clientAs(t, cr.AK, cr.SK, cr.ProjectID), firstKey(keys)); err != nil {
			t.Errorf("access key %s created before the backup does not work after the restore: %v", cr.AK, err)
		}
	}
}

// corrupted returns a copy of the file at path with one byte flipped in
// its middle.
func corrupted(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0x40
	bad := filepath.Join(t.TempDir(), "corrupted.snapshot")
	if err := os.WriteFile(bad, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return bad
}

func firstKey(keys map[string]string) string {
	for id := range keys {
		return id
	}
	return ""
}
