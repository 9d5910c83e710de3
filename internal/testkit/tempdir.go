package testkit

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// TempRoot gives the test binary a temporary directory of its own and
// points TMPDIR at it, so that t.TempDir, os.MkdirTemp and child processes
// create their files inside. The directory is named prefix-PID-random, in
// the original temporary directory, where TempRoot first removes the
// prefix-PID-* directories whose process is gone: the leftovers of test
// binaries killed (go test's timeout, SIGKILL) before their cleanups ran.
// It returns a function that removes the directory and restores TMPDIR.
// Call it from TestMain, before any test runs.
func TempRoot(prefix string) (remove func(), err error) {
	parent := os.TempDir()
	removeStaleTempRoots(parent, prefix)
	dir, err := os.MkdirTemp(parent, fmt.Sprintf("%s-%d-", prefix, os.Getpid()))
	if err != nil {
		return nil, err
	}
	old, had := os.LookupEnv("TMPDIR")
	if err := os.Setenv("TMPDIR", dir); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return func() {
		if had {
			os.Setenv("TMPDIR", old)
		} else {
			os.Unsetenv("TMPDIR")
		}
		os.RemoveAll(dir)
	}, nil
}

// removeStaleTempRoots removes parent/prefix-PID-* for every PID that is
// not a running process. Errors are ignored: this is best effort.
func removeStaleTempRoots(parent, prefix string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix+"-")
		pidText, _, ok2 := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || !ok2 || err != nil || pid <= 0 || !e.IsDir() || ProcessAlive(pid) {
			continue
		}
		os.RemoveAll(filepath.Join(parent, e.Name()))
	}
}
