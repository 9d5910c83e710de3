package kmscli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// The README's "From the shell" commands, and the kmsd line of its sops
// recipe (sops itself is driven by internal/e2e's TestSops), run as
// written by bash against a real kmsd, with kmsd on PATH.
func TestReadmeFromTheShell(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	shell := shBlock(t, string(readme), "### From the shell")
	var sopsLines []string
	for line := range strings.Lines(shBlock(t, string(readme), "### sops")) {
		if !strings.HasPrefix(line, "sops ") {
			sopsLines = append(sopsLines, line)
		}
	}
	if len(sopsLines) != 1 {
		t.Fatalf("the sops recipe should have one kmsd line, has %q", sopsLines)
	}
	script := "set -euo pipefail\n" + shell + strings.Join(sopsLines, "") + `test -n "$KEY"` + "\n" +
		`kmsd kms ListKeyDetail --key_id=$KEY --query key_info.key_alias --output text | grep -x app` + "\n"
	dir := t.TempDir()
	txtar := "exec bash readme.sh\nstdout 'hello from the README'\nstdout 'ENCRYPT_DECRYPT +enabled'\n\n" +
		"-- readme.sh --\n" + script + "-- notes.txt --\nhello from the README\n"
	if err := os.WriteFile(filepath.Join(dir, "readme.txtar"), []byte(txtar), 0o644); err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{Dir: dir, Setup: startNode})
}

// shBlock returns the first ```sh block after heading in md.
func shBlock(t *testing.T, md, heading string) string {
	t.Helper()
	_, rest, ok := strings.Cut(md, "\n"+heading+"\n")
	if !ok {
		t.Fatalf("README has no %q", heading)
	}
	_, rest, ok = strings.Cut(rest, "```sh\n")
	block, _, ok2 := strings.Cut(rest, "```\n")
	if !ok || !ok2 {
		t.Fatalf("README's %q has no sh block", heading)
	}
	return block
}
