// Package golden checks generated files against their committed copies.
package golden

import (
	"os"
	"testing"
)

// Check checks that the committed file at path holds exactly want, the
// text a package generates (docs/operations.md, docs/configuration.md). With
// update it first rewrites the file; otherwise a stale or missing file fails
// the test with regen, the command that rewrites it.
func Check(t testing.TB, path, want string, update bool, regen string) {
	t.Helper()
	if update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != want {
		t.Fatalf("%s is stale or missing (%v): run %s", path, err, regen)
	}
}
