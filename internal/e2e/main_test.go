package e2e

import (
	"testing"

	"github.com/kmsd/kmsd/internal/testkit/deps"
)

// TestMain reports the tests skipped because sops, SoftHSM2 or openssl is
// missing (package deps).
func TestMain(m *testing.M) { deps.Main(m) }
