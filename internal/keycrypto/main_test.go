package keycrypto

import (
	"testing"

	"github.com/kmsd/kmsd/internal/testkit/deps"
)

// TestMain reports the tests skipped because openssl is missing (package
// deps).
func TestMain(m *testing.M) { deps.Main(m) }
