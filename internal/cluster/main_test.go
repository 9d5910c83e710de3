package cluster

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/kmsd/kmsd/internal/testkit"
	"github.com/kmsd/kmsd/internal/testkit/deps"
)

// TestMain gives the test binary a private temporary directory (removed at
// the next run if this one is killed before it can remove it) and reports
// the tests skipped because PostgreSQL is unreachable (package deps).
func TestMain(m *testing.M) {
	remove, err := testkit.TempRoot("kmsd-cluster")
	if err != nil {
		fmt.Fprintln(os.Stderr, "cluster: temp dir:", err)
		os.Exit(1)
	}
	code := deps.Run(m)
	remove()
	os.Exit(code)
}

var (
	buildOnce sync.Once
	kmsdPath  string
	buildErr  error
)

// kmsdBin returns the kmsd binary for the multi-process tests: the one
// named by KMSD_TEST_KMSD_BIN, or cmd/kmsd built once per test binary, so
// every process test runs exactly what operators run.
func kmsdBin(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		if kmsdPath = os.Getenv("KMSD_TEST_KMSD_BIN"); kmsdPath == "" {
			kmsdPath, buildErr = buildKmsd(os.TempDir())
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return kmsdPath
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
