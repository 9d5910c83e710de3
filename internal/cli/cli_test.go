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
		"bad store":             {[]string{"serve", "--store", "mysql"}, 1, "unknown store"},
		"bad print-env":         {[]string{"serve", "--print-env=maybe", "--data", "x"}, 2, "-print-env"},
		"iam command sans name": {[]string{"admin", "user", "delete", "--data", "x"}, 1, "takes name"},
		"iam command extra arg": {[]string{"admin", "user", "list", "bob", "--data", "x"}, 1, "takes no arguments"},
		"serve argument":        {[]string{"serve", "--print-env", "maybe"}, 1, "no arguments"},
		"print-env false":       {[]string{"serve", "--print-env", "false"}, 1, "--print-env=false"},
		"bad limit flag":        {[]string{"serve", "--max-connections", "lots", "--data", "x"}, 1, "--max-connections"},
		"limit out of range":    {[]string{"serve", "--login-failures", "0", "--data", "x"}, 1, "lockout"},
		"kms without operation": {[]string{"kms"}, 2, "Operations:"},
		"kms help":              {[]string{"kms", "--help"}, 0, "CreateKey"},
		"kms operation help":    {[]string{"kms", "CreateKey", "-h"}, 0, "--key_alias"},
		"encrypt help":          {[]string{"encrypt", "--help"}, 0, "--key"},
		"keys without endpoint": {[]string{"keys"}, 1, "no endpoint"},
		"decrypt no input":      {[]string{"decrypt"}, 1, "no ciphertext"},
		"backup sans mode":      {[]string{"backup", "--data", "x"}, 1, "either --to FILE or --verify"},
		"backup both modes":     {[]string{"backup", "--to", "f", "--verify", "--data", "x"}, 1, "either --to FILE or --verify"},
		"backup no root key":    {[]string{"backup", "--to", "f", "--data", "/nonexistent/kmsd"}, 1, "no root key file"},
		"backup postgres":       {[]string{"backup", "--to", "f", "--store", "postgres", "--postgres-dsn", "x", "--root-key", "file:/nonexistent"}, 1, "pg_dump"},
		"restore sans from":     {[]string{"restore", "--data", "x"}, 1, "--from FILE"},
		"rotate sans previous":  {[]string{"rootkey", "rotate", "--data", "x"}, 1, "--root-key-previous"},
		"rotate same key":       {[]string{"rootkey", "rotate", "--root-key-previous", "file", "--data", "x"}, 1, "previous root key is the root key"},
		"relative file key":     {[]string{"rootkey", "rotate", "--root-key", "file:rel", "--root-key-previous", "file", "--data", "x"}, 1, "file:/absolute/dir"},
		"rootkey create sans":   {[]string{"rootkey", "create"}, 1, "one DIR"},
		"rootkey unknown":       {[]string{"rootkey", "spin"}, 2, "Usage:"},
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
