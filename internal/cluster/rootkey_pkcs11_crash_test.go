//go:build cgo && !nopkcs11

package cluster

import (
	"encoding/json"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/testkit/softhsm"
)

// TestCrashRootKeyRotationIntoPKCS11 moves a node's root key from its file
// into a SoftHSM2 token, then to another key of the token, under a write
// load and with the rotate process SIGKILLed at random points: file →
// PKCS#11 and PKCS#11 → PKCS#11. A node with the last key alone serves every
// key and ciphertext, and "kmsd backup --verify" finds every secret
// recorded under it.
func TestCrashRootKeyRotationIntoPKCS11(t *testing.T) {
	lib := softhsm.Module(t)
	pin := filepath.Join(t.TempDir(), "pin")
	if err := os.WriteFile(pin, []byte("1234\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	uri := func(object string) string {
		return "pkcs11:token=kmsd;object=" + object + "?module-path=" + lib + "&pin-source=" + pin + "&create=1"
	}
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 0))
	t.Logf("seed %d", seed)
	c := &cluster{t: t, root: newRootKey(t), env: []string{"KMSD_KEY_QUOTA=100000"}}
	t.Cleanup(c.cleanup)
	dir := dataDir(t, c.root)
	serve := []string{"serve", "--data", dir, "--listen", "127.0.0.1:0"}
	p := c.spawnArgs(serve...)
	c.waitReady(p)
	all := startAckLoad(t, p.client(t), 2, "file")
	all.waitAcked(t, 40)
	all.halt(t)
	keys, cts := all.acked()
	p.stop()

	from, fromName := "file", "file"
	for _, object := range []string{"kmsd-root-a", "kmsd-root-b"} {
		to := uri(object)
		keysArgs := []string{"--data", dir, "--root-key", to, "--root-key-previous", from}
		p = c.spawnArgs(append(serve, keysArgs[2:]...)...)
		c.waitReady(p)
		load := startAckLoad(t, p.client(t), 2, "to-"+object)
		out, kills := rotateWithKills(t, rng, append([]string{"rootkey", "rotate", "--batch", "2", "--lease", "500ms"}, keysArgs...), 4)
		if !strings.Contains(out, " done: ") {
			t.Fatalf("rotation to %s did not finish:\n%s", object, out)
		}
		load.waitAcked(t, 10)
		load.halt(t)
		k, ct := load.acked()
		maps.Copy(keys, k)
		maps.Copy(cts, ct)
		check(t, p.client(t), keys, cts)
		p.stop()
		t.Logf("%s -> %s: %d kills", fromName, object, kills)
		from, fromName = to, object
	}
	p = c.spawnArgs(append(serve, "--root-key", from)...)
	c.waitReady(p)
	check(t, p.client(t), keys, cts)
	var rep struct {
		RootKeys map[string]int `json:"recorded_root_keys"`
	}
	out := mustKmsd(t, "backup", "--verify", "--data", dir, "--root-key", from)
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.RootKeys) != 1 || rep.RootKeys["pkcs11:kmsd-root-b"] == 0 {
		t.Fatalf("backup --verify with the last key alone: %v\n%s", err, out)
	}
	t.Logf("%d keys and %d ciphertexts intact after file -> PKCS#11 -> PKCS#11", len(keys), len(cts))
}
