package cluster

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kmsd/kmsd/internal/testkit/deps"
)

// kmsdBin is the kmsd binary built by TestMain for the multi-process tests.
var kmsdBin string

// TestMain builds cmd/kmsd once for the whole test binary, so every process
// test runs exactly what operators run, and reports the tests skipped
// because PostgreSQL is unreachable (package deps).
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "kmsd-cluster-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "cluster: temp dir:", err)
		os.Exit(1)
	}
	kmsdBin, err = buildKmsd(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cluster:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := deps.Run(m)
	os.RemoveAll(dir)
	os.Exit(code)
}

// buildKmsd runs "go build ./cmd/kmsd" from the module root into dir.
func buildKmsd(dir string) (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("not inside the kmsd module")
	}
	bin := filepath.Join(dir, "kmsd")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/kmsd")
	cmd.Dir = filepath.Dir(gomod)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/kmsd: %v\n%s", err, out)
	}
	return bin, nil
}
