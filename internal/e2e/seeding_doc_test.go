package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kmsd/kmsd/internal/config"
	"github.com/kmsd/kmsd/internal/testkit/sdktest"
)

// docExample returns the first block of lang in the markdown file path.
func docExample(t *testing.T, path, lang string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "```"+lang+"\n")
	block, _, closed := strings.Cut(rest, "```")
	if !ok || !closed {
		t.Fatalf("%s has no ```%s block", path, lang)
	}
	return block
}

// TestSeedingDocExample applies docs/seeding.md's example, as written, on a
// fresh data directory with the default bootstrap settings, twice, and uses
// what it declares with the official SDK: the seeded access key in the
// seeded project, the key by its fixed id and by its alias alias/app, and
// the default key.
func TestSeedingDocExample(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fixtures.yaml")
	if err := os.WriteFile(path, []byte(docExample(t, "../../docs/seeding.md", "yaml")), 0o600); err != nil {
		t.Fatal(err)
	}
	nd := startNode(t, func(c *config.Config) {
		c.Bootstrap = config.Default().Bootstrap // nothing fixed, as on a newcomer's machine
		c.Seed = path
	})
	const project, keyID = "0a1b2c3d4e5f60718293a4b5c6d7e8f9", "0d0466b0-e727-4d9c-b35d-f84bb474a37f"
	if got := nd.n.Bootstrap.ProjectID; got != project {
		t.Errorf("bootstrap project %s, want the seed's %s", got, project)
	}
	nd.restart() // applying the file again changes nothing and does not fail
	c := nd.clientFor("CIACCESSKEY000000000", "CiSecretKey0123456789abcdefghijklmnopqr", project)
	k := sdktest.MustDescribe(t, c, keyID)
	if *k.KeyAlias != "app-key" || *k.KeyDescription != "application data key" {
		t.Errorf("seeded key: %+v", k)
	}
	if byAlias := sdktest.MustDescribe(t, c, "alias/app"); *byAlias.KeyId != keyID {
		t.Errorf("alias/app is key %s, want %s", *byAlias.KeyId, keyID)
	}
	ct := encryptOK(t, c, "alias/app", "aGVsbG8=", "", nil)
	decryptOK(t, c, ct, "", "", nil, "aGVsbG8=", keyID)
	if d := sdktest.MustDescribe(t, c, "5f3e0c2a-1b2c-4d5e-8f90-0123456789ab"); *d.DefaultKeyFlag != "1" {
		t.Errorf("obs/default: default_key_flag %q", *d.DefaultKeyFlag)
	}
}
