package cli

import (
	"bytes"
	"strings"
	"testing"
)

func TestUsageAndErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		args []string
		code int
		out  string
	}{
		"no args":               {nil, 2, "Usage:"},
		"unknown command":       {[]string{"explode"}, 2, "Usage:"},
		"version":               {[]string{"version"}, 0, "kmsd "},
		"help":                  {[]string{"help"}, 0, "kmsd serve"},
		"admin without create":  {[]string{"admin", "project"}, 2, "Usage:"},
		"credential sans id":    {[]string{"admin", "credential", "create", "--data", "x"}, 1, "needs --project"},
		"iam command sans name": {[]string{"admin", "user", "delete", "--data", "x"}, 1, "takes name"},
		"iam command extra arg": {[]string{"admin", "user", "list", "bob", "--data", "x"}, 1, "takes no arguments"},
		"bad store":             {[]string{"serve", "--store", "mysql"}, 1, "unknown store"},
		"bad print-env":         {[]string{"serve", "--print-env=maybe", "--data", "x"}, 1, "-print-env"},
		"serve argument":        {[]string{"serve", "--print-env", "maybe"}, 1, "no arguments"},
		"print-env false":       {[]string{"serve", "--print-env", "false"}, 1, "--print-env=false"},
		"bad limit flag":        {[]string{"serve", "--max-connections", "lots", "--data", "x"}, 1, "--max-connections"},
		"limit out of range":    {[]string{"serve", "--login-failures", "0", "--data", "x"}, 1, "lockout"},
	} {
		t.Run(name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := Main(tc.args, Env{Stdout: &out, Stderr: &errOut, Lookup: func(string) (string, bool) { return "", false }})
			if code != tc.code || !strings.Contains(out.String()+errOut.String(), tc.out) {
				t.Fatalf("exit %d, output %q %q", code, out.String(), errOut.String())
			}
		})
	}
}
