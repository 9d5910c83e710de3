package testkit

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// The tests of the CI entry point .ci/run live with the rest of the test
// machinery.

var (
	shellQuoted = regexp.MustCompile(`"[^"]*"|'[^']*'`)
	goTestCmd   = regexp.MustCompile(`(^|[\s;&|(])go test\s`)
)

// TestCIRunsTestsUncached checks that every go test command in .ci/run
// passes -count=1: the test cache does not know whether PostgreSQL is up,
// and would replay a pass after the server stopped (or a skip after it
// came back). Fuzzing, which go test never caches, is exempt.
func TestCIRunsTestsUncached(t *testing.T) {
	b, err := os.ReadFile("../../.ci/run")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i, line := range strings.Split(string(b), "\n") {
		code := shellQuoted.ReplaceAllString(line, "")
		if c, _, ok := strings.Cut(code, "#"); ok {
			code = c
		}
		if !goTestCmd.MatchString(code) || strings.Contains(code, "-fuzz ") {
			continue
		}
		n++
		if !strings.Contains(code, "-count=1") {
			t.Errorf(".ci/run:%d: go test without -count=1: %s", i+1, strings.TrimSpace(line))
		}
	}
	if n == 0 {
		t.Fatal("found no go test command in .ci/run")
	}
}
