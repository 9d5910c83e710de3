package cluster

import (
	"bufio"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestCrashRootKeyRotationResumes rotates a node's root key from its file
// root key to another file key while a write load runs on the node
// (started with both keys: --root-key NEW --root-key-previous file). The
// "kmsd rootkey rotate" process is SIGKILLed after a random number of
// committed batches, several times, and run again until it finishes. Then
// every acknowledged key and ciphertext is intact, "kmsd backup --verify"
// with the new key alone checks every secret and finds none recorded under
// the old key, a node started with the new key alone serves them all, and
// a further rotate run finds the job done.
func TestCrashRootKeyRotationResumes(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 0))
	t.Logf("seed %d", seed)
	c := &cluster{t: t, root: newRootKey(t), env: []string{"KMSD_KEY_QUOTA=100000"}}
	t.Cleanup(c.cleanup)
	dir := dataDir(t, c.root)
	newDir := t.TempDir()
	newID := strings.TrimSpace(mustKmsd(t, "rootkey", "create", newDir))
	serve := []string{"serve", "--data", dir, "--listen", "127.0.0.1:0"}
	p := c.spawnArgs(serve...)
	c.waitReady(p)
	before := startAckLoad(t, p.client(t), 2, "old")
	before.waitAcked(t, 60)
	before.halt(t)
	p.stop()
	var old struct {
		Versions    int `json:"key_versions"`
		Credentials int `json:"credentials"`
		Settings    int `json:"settings"`
	}
	if err := json.Unmarshal([]byte(mustKmsd(t, "backup", "--verify", "--data", dir)), &old); err != nil {
		t.Fatal(err)
	}
	underOld := old.Versions + old.Credentials + old.Settings

	both := []string{"--data", dir, "--root-key", "file:" + newDir, "--root-key-previous", "file"}
	p = c.spawnArgs(append(serve, both[2:]...)...)
	c.waitReady(p)
	load := startAckLoad(t, p.client(t), 2, "during")
	rotate := append([]string{"rootkey", "rotate", "--batch", "2", "--lease", "500ms"}, both...)
	out, kills := rotateWithKills(t, rng, rotate, 6)
	// Exactly once: over every run, each secret under the old key was
	// re-wrapped once (what nodes wrote meanwhile was under the new key).
	if want := fmt.Sprintf(" done: %d secrets re-wrapped ", underOld); !strings.Contains(out, want) {
		t.Fatalf("the last rotate run did not say %q:\n%s", want, out)
	}
	load.waitAcked(t, 20)
	load.halt(t)
	keys, cts := before.acked()
	k2, c2 := load.acked()
	maps.Copy(keys, k2)
	maps.Copy(cts, c2)
	check(t, p.client(t), keys, cts)
	p.stop()

	var rep struct {
		Versions int            `json:"key_versions"`
		RootKeys map[string]int `json:"recorded_root_keys"`
	}
	verify := mustKmsd(t, "backup", "--verify", "--data", dir, "--root-key", "file:"+newDir)
	if err := json.Unmarshal([]byte(verify), &rep); err != nil || len(rep.RootKeys) != 1 || rep.RootKeys[newID] == 0 || rep.Versions < len(keys) {
		t.Fatalf("backup --verify with the new key alone: %v\n%s", err, verify)
	}
	p = c.spawnArgs(append(serve, "--root-key", "file:"+newDir)...)
	c.waitReady(p)
	check(t, p.client(t), keys, cts)
	if again := mustKmsd(t, rotate...); !strings.Contains(again, "done") || strings.Contains(again, "secrets re-wrapped\n") {
		t.Errorf("a rotate run after the job was done did work:\n%s", again)
	}
	t.Logf("%d kills; %d secrets re-wrapped once; %d keys and %d ciphertexts intact", kills, underOld, len(keys), len(cts))
}

// rotateWithKills runs the rotate command args up to runs times, SIGKILLing
// each run after a random number of committed batches, then once to its
// end, whose output it returns with the number of runs killed. It fails t
// when no run was killed before the job finished.
func rotateWithKills(t *testing.T, rng *rand.Rand, args []string, runs int) (string, int) {
	t.Helper()
	kills := 0
	for run := 0; run < runs; run++ {
		k := rng.IntN(6)
		if finished := killAfter(t, args, k); finished {
			break
		}
		kills++
		t.Logf("run %d: SIGKILLed after %d batches", run, k)
	}
	if kills == 0 {
		t.Error("no rotate run was killed before it finished")
	}
	return mustKmsd(t, args...), kills
}

// killAfter runs kmsd args and SIGKILLs it once it has reported n committed
// batches (at once for 0). It reports whether the run finished first.
func killAfter(t *testing.T, args []string, n int) (finished bool) {
	t.Helper()
	cmd := exec.Command(kmsdBin(t), args...)
	cmd.Env = nodeEnv()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := startChild(cmd); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	for seen := 0; seen < n && sc.Scan(); {
		if strings.Contains(sc.Text(), " done: ") {
			finished = true
			break
		}
		seen++
	}
	killChild(cmd.Process)
	for sc.Scan() { // drain what it wrote before it died
		finished = finished || strings.Contains(sc.Text(), " done: ")
	}
	cmd.Wait()
	return finished
}
