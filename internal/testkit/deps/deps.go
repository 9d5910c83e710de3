// Package deps makes the optional external dependencies of the tests
// (PostgreSQL, SoftHSM2, sops, openssl, curl) impossible to miss when they are
// absent. It is imported only from _test.go files and testkit packages.
//
// go test discards the whole output of a package whose test binary exits 0,
// so a skip is invisible in the plain "go test ./..." output however loud
// its message. A test that cannot run because a dependency is missing
// therefore calls [Dep.Skip], and the package's TestMain calls [Main] (or
// [Run]), which, after the tests, prints which tests were skipped for which
// dependency and makes the package FAIL. The environment variable of each
// dependency (KMSD_REQUIRE_POSTGRES, …) chooses otherwise:
//
//	unset  the tests skip, the package fails with a summary (the default)
//	0      the tests skip and the package passes (skipping acknowledged;
//	       the summary and each SKIP show with -v)
//	1      each test fails at once (CI)
package deps

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
)

// Dep is an optional external test dependency.
type Dep struct {
	Name string // what is missing, for messages: "PostgreSQL"
	Env  string // the variable that chooses what a missing Name does
	Hint string // how to provide it
}

// The test dependencies of kmsd.
var (
	Postgres = Dep{Name: "PostgreSQL", Env: "KMSD_REQUIRE_POSTGRES",
		Hint: "start PostgreSQL on 127.0.0.1:5432 with trust auth and a database test (README, Tests), or set KMSD_TEST_POSTGRES_DSN"}
	SoftHSM = Dep{Name: "SoftHSM2", Env: "KMSD_REQUIRE_SOFTHSM",
		Hint: "apt-get install softhsm2, or set KMSD_SOFTHSM_MODULE"}
	Sops = Dep{Name: "sops", Env: "KMSD_REQUIRE_SOPS",
		Hint: "go install github.com/getsops/sops/v3/cmd/sops@v3.13.2, or set KMSD_SOPS"}
	OpenSSL = Dep{Name: "openssl", Env: "KMSD_REQUIRE_OPENSSL",
		Hint: "apt-get install openssl"}
	Curl = Dep{Name: "curl", Env: "KMSD_REQUIRE_CURL",
		Hint: "apt-get install curl"}
)

// mode is what a missing dependency does, from its variable.
type mode int

const (
	modeReport  mode = iota // unset: skip, then fail the package
	modeWaived              // "0": skip
	modeRequire             // "1": fail the test
)

func (d Dep) mode() mode {
	switch os.Getenv(d.Env) {
	case "1":
		return modeRequire
	case "0":
		return modeWaived
	}
	return modeReport
}

// skip is one test skipped for a missing dependency.
type skip struct {
	dep       Dep
	test, why string
}

var (
	mu      sync.Mutex
	running bool // Run is running the tests
	skips   []skip
)

// Skip stops t because d is unavailable (why says what was looked for and
// what failed): with d.Env=1 it fails t, otherwise it skips t and records
// the skip for [Run]. It fails t as well when the package's TestMain does
// not call Main or Run, since the skip would then be silent.
func (d Dep) Skip(t testing.TB, why string) {
	t.Helper()
	msg := fmt.Sprintf("%s missing: %s (%s)", d.Name, why, d.Hint)
	if d.mode() == modeRequire {
		t.Fatalf("%s; required by %s=1", msg, d.Env)
	}
	mu.Lock()
	ok := running
	if ok {
		skips = append(skips, skip{dep: d, test: t.Name(), why: why})
	}
	mu.Unlock()
	if !ok && d.mode() == modeReport {
		t.Fatalf("%s; and this package's TestMain does not call deps.Main, so a skip would not show", msg)
	}
	t.Skipf("*** SKIPPED: %s; %s=0 accepts skipping, %s=1 makes it fatal ***", msg, d.Env, d.Env)
}

// Main runs the package's tests as [Run] and exits with its code. A
// package whose tests call [Dep.Skip] declares
//
//	func TestMain(m *testing.M) { deps.Main(m) }
func Main(m *testing.M) { os.Exit(Run(m)) }

// Run runs m and returns the exit code for os.Exit: m.Run's, or 1 when a
// test was skipped for a dependency whose variable is unset, after printing
// a summary (which go test then shows). Skips acknowledged with =0 are
// summarized too, and do not change the code.
func Run(m *testing.M) int {
	mu.Lock()
	running = true
	mu.Unlock()
	code := m.Run()
	mu.Lock()
	defer mu.Unlock()
	running = false
	summary, fail := summarize(skips)
	if summary != "" {
		fmt.Print(summary)
	}
	if fail && code == 0 {
		code = 1
	}
	return code
}

// summarize describes the skips, one paragraph per dependency, and reports
// whether one of them was not acknowledged.
func summarize(skips []skip) (string, bool) {
	var order []string
	byDep := map[string][]skip{}
	for _, s := range skips {
		if _, seen := byDep[s.dep.Name]; !seen {
			order = append(order, s.dep.Name)
		}
		byDep[s.dep.Name] = append(byDep[s.dep.Name], s)
	}
	var b strings.Builder
	fail := false
	for _, name := range order {
		ss := byDep[name]
		d := ss[0].dep
		var tests []string
		for _, s := range ss {
			tests = append(tests, s.test)
		}
		slices.Sort(tests)
		tests = slices.Compact(tests)
		shown := tests
		if len(shown) > 8 {
			shown = append(shown[:8:8], "…")
		}
		verdict := fmt.Sprintf("so the package FAILS: %s=0 accepts skipping, %s=1 fails each test instead", d.Env, d.Env)
		if d.mode() == modeWaived {
			verdict = "skipping accepted by " + d.Env + "=0"
		} else {
			fail = true
		}
		fmt.Fprintf(&b, "*** %d test(s) SKIPPED because %s is missing: %s\n***   skipped: %s\n***   to run them: %s\n***   %s\n",
			len(tests), d.Name, ss[0].why, strings.Join(shown, " "), d.Hint, verdict)
	}
	return b.String(), fail
}
