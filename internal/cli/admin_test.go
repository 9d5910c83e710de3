package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs "kmsd args…" with an empty environment.
func runCLI(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := Main(args, Env{Stdout: &out, Stderr: &errOut, Lookup: func(string) (string, bool) { return "", false }})
	return code, out.String(), errOut.String()
}

// TestAdminRefusesAMissingStore: a mistyped --data does not silently start
// an empty store; --init creates one.
func TestAdminRefusesAMissingStore(t *testing.T) {
	typo := filepath.Join(t.TempDir(), "kmsd-dta")
	for _, args := range [][]string{
		{"admin", "project", "create", "local-2", "--data", typo},
		{"admin", "credential", "create", "--project", "0123456789abcdef0123456789abcdef", "--data", typo},
	} {
		code, _, errOut := runCLI(args...)
		if code != 1 || !strings.Contains(errOut, "no kmsd store exists there") || !strings.Contains(errOut, "--init") {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
		if _, err := os.Stat(typo); !os.IsNotExist(err) {
			t.Fatalf("%v created %s (%v)", args, typo, err)
		}
	}
	if code, out, errOut := runCLI("admin", "project", "create", "local-2", "--data", typo, "--init"); code != 0 || !strings.Contains(out, `"project": "local-2"`) {
		t.Fatalf("--init: exit %d, %s %s", code, out, errOut)
	}
	if code, out, errOut := runCLI("admin", "project", "create", "local-3", "--user", "ci", "--data", typo); code != 0 {
		t.Fatalf("existing store without --init: exit %d, %s %s", code, out, errOut)
	}
}

// TestAdminProjectErrors: a taken name names the project that has it, and
// a name that cannot be a region id (and so a
// HUAWEICLOUD_SDK_REGION_KMS_<NAME> variable) is refused.
func TestAdminProjectErrors(t *testing.T) {
	data := t.TempDir()
	code, out, errOut := runCLI("admin", "project", "create", "local-2", "--data", data, "--init")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var first adminOutput
	if err := json.Unmarshal([]byte(out), &first); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCLI("admin", "project", "create", "local-2", "--data", data)
	if code != 1 || !strings.Contains(errOut, "already exists") || !strings.Contains(errOut, first.ProjectID) {
		t.Errorf("duplicate: exit %d, %q does not name %s", code, errOut, first.ProjectID)
	}
	for _, name := range []string{"bad name!", "Local-2", "local_2", "local--2", "x-", strings.Repeat("a", 65)} {
		code, _, errOut := runCLI("admin", "project", "create", name, "--data", data)
		if code != 1 || !strings.Contains(errOut, "invalid project name") {
			t.Errorf("%q: exit %d, %q", name, code, errOut)
		}
	}
	if code, _, errOut := runCLI("serve", "--region", "bad name!", "--data", filepath.Join(data, "x")); code != 1 || !strings.Contains(errOut, "invalid project name") {
		t.Errorf("serve --region 'bad name!': exit %d, %q", code, errOut)
	}
}

// TestFlagErrorsPrintOnce: the flag package prints a parse error with the
// command's flags; kmsd does not print it a second time.
func TestFlagErrorsPrintOnce(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--no-such-flag"},
		{"admin", "project", "create", "x", "--no-such-flag"},
		{"healthcheck", "--no-such-flag"},
	} {
		code, _, errOut := runCLI(args...)
		if code != 2 || strings.Count(errOut, "flag provided but not defined: -no-such-flag") != 1 || !strings.Contains(errOut, "Usage of kmsd") {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
}
