package e2e

import (
	"fmt"
	"os"
	"testing"

	"github.com/kmsd/kmsd/internal/testkit"
	"github.com/kmsd/kmsd/internal/testkit/deps"
)

// TestMain gives the test binary a private temporary directory (removed at
// the next run if this one is killed before it can remove it) and reports
// the tests skipped because sops, SoftHSM2 or openssl is missing (package
// deps).
func TestMain(m *testing.M) {
	remove, err := testkit.TempRoot("kmsd-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: temp dir:", err)
		os.Exit(1)
	}
	code := deps.Run(m)
	remove()
	os.Exit(code)
}
