package testkit

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestTempRoot leaves a directory of a process that is gone and one of a
// live process (this one), as killed and running test binaries do: TempRoot
// removes the first only, and its own directory when done.
func TestTempRoot(t *testing.T) {
	parent := t.TempDir()
	t.Setenv("TMPDIR", parent)
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Skip("cannot run true:", err)
	}
	stale := filepath.Join(parent, fmt.Sprintf("kmsd-x-%d-1", gone.Process.Pid))
	live := filepath.Join(parent, fmt.Sprintf("kmsd-x-%d-1", os.Getpid()))
	other := filepath.Join(parent, fmt.Sprintf("kmsd-y-%d-1", gone.Process.Pid))
	for _, d := range []string{stale, live, other} {
		if err := os.MkdirAll(filepath.Join(d, "sub"), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	remove, err := TempRoot("kmsd-x")
	if err != nil {
		t.Fatal(err)
	}
	mine := os.Getenv("TMPDIR")
	if filepath.Dir(mine) != parent || os.TempDir() != mine {
		t.Fatalf("TMPDIR %q, want a directory in %s", mine, parent)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("directory of a process that is gone: %v, want removed", err)
	}
	for _, d := range []string{live, other, mine} {
		if _, err := os.Stat(d); err != nil {
			t.Errorf("%s: %v, want kept", d, err)
		}
	}
	remove()
	if _, err := os.Stat(mine); !os.IsNotExist(err) {
		t.Errorf("own directory after remove: %v", err)
	}
	if got := os.Getenv("TMPDIR"); got != parent {
		t.Errorf("TMPDIR after remove %q, want %q", got, parent)
	}
}
