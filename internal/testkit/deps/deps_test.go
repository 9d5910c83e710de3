package deps_test

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/kmsd/kmsd/internal/testkit/deps"
)

func TestMain(m *testing.M) { deps.Main(m) }

// widget is a dependency that is never there, with a variable of its own so
// that the real KMSD_REQUIRE_* settings do not matter.
var widget = deps.Dep{Name: "Widget", Env: "KMSD_TEST_DEPS_WIDGET", Hint: "there is none"}

// TestHelperMissingWidget is run by TestSkipIsVisible in a child test
// binary; on its own it does nothing.
func TestHelperMissingWidget(t *testing.T) {
	if os.Getenv("KMSD_TEST_DEPS_HELPER") != "1" {
		t.Skip("helper of TestSkipIsVisible")
	}
	t.Run("sub", func(t *testing.T) { widget.Skip(t, "no widget at /dev/widget") })
}

// TestSkipIsVisible runs a test binary whose test skips for a missing
// dependency, under each setting of the dependency's variable, and checks
// the exit status go test will see and the summary it will then print.
func TestSkipIsVisible(t *testing.T) {
	for _, tc := range []struct {
		setting  string
		wantCode int
		want     []string
	}{
		{"", 1, []string{"1 test(s) SKIPPED because Widget is missing: no widget at /dev/widget", "TestHelperMissingWidget/sub", "package FAILS"}},
		{"0", 0, []string{"SKIPPED because Widget is missing", "skipping accepted by KMSD_TEST_DEPS_WIDGET=0"}},
		{"1", 1, []string{"--- FAIL: TestHelperMissingWidget/sub", "required by KMSD_TEST_DEPS_WIDGET=1"}},
	} {
		t.Run("KMSD_TEST_DEPS_WIDGET="+tc.setting, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperMissingWidget$", "-test.v")
			cmd.Env = append(os.Environ(), "KMSD_TEST_DEPS_HELPER=1", "KMSD_TEST_DEPS_WIDGET="+tc.setting)
			out, err := cmd.CombinedOutput()
			code := 0
			if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tc.wantCode {
				t.Errorf("exit code %d, want %d", code, tc.wantCode)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("output lacks %q", w)
				}
			}
			if t.Failed() {
				t.Logf("output:\n%s", out)
			}
		})
	}
}
