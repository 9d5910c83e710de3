package cli

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
)

// Set with -ldflags "-X github.com/kmsd/kmsd/internal/cli.version=… -X
// …cli.revision=…" by builds that have no VCS information to stamp (the
// Dockerfile builds from a context without .git); the build info, when it
// has them, wins.
var version, revision string

// printVersion prints the module version, the VCS revision and the Go
// version kmsd was built with, from the build info.
func printVersion(_ context.Context, args []string, env Env) error {
	if len(args) != 0 {
		return errors.New("kmsd version takes no arguments")
	}
	bi, _ := debug.ReadBuildInfo()
	fmt.Fprintln(env.Stdout, versionText(bi))
	return nil
}

// versionText describes the build bi (nil when the binary has no build
// info): "kmsd v1.2.3 (revision 0123abc…, 2026-12-01T10:00:00Z, modified; go1.26.8)".
func versionText(bi *debug.BuildInfo) string {
	v, rev, when, modified, goVersion := version, revision, "", false, ""
	if bi != nil {
		if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
		goVersion = bi.GoVersion
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if v == "" {
		v = "(devel)"
	}
	var details []string
	if rev != "" {
		details = append(details, "revision "+rev)
	} else {
		details = append(details, "no VCS revision")
	}
	if when != "" {
		details = append(details, when)
	}
	if modified {
		details = append(details, "modified")
	}
	text := "kmsd " + v + " (" + strings.Join(details, ", ")
	if goVersion != "" {
		text += "; " + goVersion
	}
	return text + ")"
}
