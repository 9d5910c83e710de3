package cli

import (
	"bytes"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionText(t *testing.T) {
	stamped := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/kmsd/kmsd", Version: "v1.2.3"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123abcd"}, {Key: "vcs.time", Value: "2026-12-01T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	for name, tc := range map[string]struct {
		bi           *debug.BuildInfo
		ldVer, ldRev string
		want         string
	}{
		"go install @version": {&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.3"}}, "", "",
			"kmsd v1.2.3 (no VCS revision; go1.26.8)"},
		"go build in a checkout":       {stamped, "", "", "kmsd v1.2.3 (revision 0123abcd, 2026-12-01T10:00:00Z, modified; go1.26.8)"},
		"build info wins over ldflags": {stamped, "v9", "ffff", "kmsd v1.2.3 (revision 0123abcd, 2026-12-01T10:00:00Z, modified; go1.26.8)"},
		"ldflags without VCS (Dockerfile)": {&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}}, "v1.2.3", "0123abcd",
			"kmsd v1.2.3 (revision 0123abcd; go1.26.8)"},
		"nothing known": {nil, "", "", "kmsd (devel) (no VCS revision)"},
	} {
		t.Run(name, func(t *testing.T) {
			defer func(v, r string) { version, revision = v, r }(version, revision)
			version, revision = tc.ldVer, tc.ldRev
			if got := versionText(tc.bi); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestVersionCommands: "kmsd version" and "kmsd --version" print the build
// info of the running binary (the test binary here; cmd/kmsd's test checks
// a real build's VCS revision).
func TestVersionCommands(t *testing.T) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		t.Fatal("the test binary has no build info")
	}
	want := versionText(bi) + "\n"
	for _, args := range [][]string{{"version"}, {"--version"}} {
		var out, errOut bytes.Buffer
		if code := Main(args, Env{Stdout: &out, Stderr: &errOut}); code != 0 || out.String() != want {
			t.Errorf("%v: exit %d, %q %q, want %q", args, code, out.String(), errOut.String(), want)
		}
		if strings.Contains(out.String(), " dev ") {
			t.Errorf("%v prints dev", args)
		}
	}
}
