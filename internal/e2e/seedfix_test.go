package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/kmsd/kmsd/internal/config"
)

const defaultKeyID = "b5a1c1d2-0000-4000-8000-00000000d0f1"

// defaultKeySeed gives the bootstrap project a service default key.
const defaultKeySeed = `
accounts:
  - name: admin
    projects:
      - name: local-1
        keys:
          - id: ` + defaultKeyID + `
            alias: obs/default
            description: default key of OBS
`

// withSeed writes a seed file and configures the node to apply it.
func withSeed(t testing.TB, yaml string) option {
	path := filepath.Join(t.TempDir(), "seed.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return func(c *config.Config) { c.Seed = path }
}
