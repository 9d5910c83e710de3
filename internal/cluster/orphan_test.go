package cluster

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/testkit"
)

// TestCrashOfTestBinaryTakesItsNodes runs a test binary that starts a kmsd
// node and SIGKILLs that binary, as go test does when a test binary
// outlives its -timeout: the node must die with it (its parent-death
// signal) rather than serve on, re-parented to PID 1.
func TestCrashOfTestBinaryTakesItsNodes(t *testing.T) {
	if os.Getenv("KMSD_TEST_ORPHAN_HELPER") == "1" {
		orphanHelper(t)
		return
	}
	if !hasParentDeathSignal {
		t.Skip("no parent-death signal on this system: a killed test binary's nodes outlive it")
	}
	helper := exec.Command(os.Args[0], "-test.run=^TestCrashOfTestBinaryTakesItsNodes$", "-test.v")
	helper.Env = append(os.Environ(), "KMSD_TEST_ORPHAN_HELPER=1", "KMSD_TEST_KMSD_BIN="+kmsdBin(t))
	out, err := helper.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	helper.Stderr = helper.Stdout
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { helper.Process.Kill(); helper.Wait() })
	pid, log := 0, &strings.Builder{}
	sc := bufio.NewScanner(out)
	for pid == 0 && sc.Scan() {
		fmt.Fprintln(log, sc.Text())
		if rest, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "orphan_test.go"); ok {
			if _, n, ok := strings.Cut(rest, "node pid "); ok {
				pid, _ = strconv.Atoi(n)
			}
		}
	}
	if pid == 0 {
		t.Fatalf("the helper did not report a node:\n%s", log)
	}
	t.Cleanup(func() { // whatever happens, no orphan stays
		if p, err := os.FindProcess(pid); err == nil {
			p.Kill()
		}
	})
	helper.Process.Kill() // SIGKILL
	helper.Wait()
	deadline := time.Now().Add(10 * time.Second)
	for testkit.ProcessAlive(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("kmsd (pid %d) still runs 10 s after its test binary was SIGKILLed", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// orphanHelper starts a kmsd node on SQLite, reports its pid and waits to
// be killed.
func orphanHelper(t *testing.T) {
	c := &cluster{t: t, root: newRootKey(t)}
	t.Cleanup(c.cleanup)
	p := c.spawnArgs("serve", "--data", dataDir(t, c.root), "--listen", "127.0.0.1:0")
	c.waitReady(p)
	t.Logf("node pid %d", p.cmd.Process.Pid)
	time.Sleep(time.Minute)
	t.Error("the helper was not killed within a minute")
}
