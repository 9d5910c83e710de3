package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kmsd/kmsd/internal/rootkey"
	"github.com/kmsd/kmsd/internal/store"
	"github.com/kmsd/kmsd/internal/store/sqlite"
)

// TestRootKeyBelongsToItsDatabase: a wrong root key is named as such, and a
// missing one is never replaced by a new key next to an existing database,
// for "kmsd serve" and the admin commands alike.
func TestRootKeyBelongsToItsDatabase(t *testing.T) {
	data := t.TempDir()
	startServe(t, nil, "--data", data, "--print-env=false").stop()
	keyFile := filepath.Join(data, rootkey.FileName)
	original, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	other := t.TempDir()
	if _, err := rootkey.OpenFile(other); err != nil { // a valid key, but another one
		t.Fatal(err)
	}
	wrong, err := os.ReadFile(filepath.Join(other, rootkey.FileName))
	if err != nil {
		t.Fatal(err)
	}
	commands := [][]string{
		{"serve", "--listen", "127.0.0.1:0", "--data", data},
		{"admin", "project", "create", "local-2", "--data", data},
	}
	if err := os.WriteFile(keyFile, wrong, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range commands {
		if code, _, errOut := runCLI(args...); code != 1 || !strings.Contains(errOut, "the root key does not match this database") {
			t.Errorf("wrong root key, %s: exit %d, %q", args[0], code, errOut)
		}
	}
	if err := os.Remove(keyFile); err != nil {
		t.Fatal(err)
	}
	for _, args := range append(commands, []string{"admin", "project", "create", "local-2", "--data", data, "--init"}) {
		code, _, errOut := runCLI(args...)
		if code != 1 || !strings.Contains(errOut, "root key "+keyFile+" is missing") {
			t.Errorf("deleted root key, %v: exit %d, %q", args, code, errOut)
		}
		if _, err := os.Stat(keyFile); !os.IsNotExist(err) {
			t.Fatalf("%v created a root key next to the existing database (%v)", args, err)
		}
	}
	if err := os.WriteFile(keyFile, original, 0o600); err != nil {
		t.Fatal(err)
	}
	startServe(t, nil, "--data", data, "--print-env=false").stop()
}

// TestFailedStartLeavesNoDataDir: a first start that fails leaves the data
// directory as it found it (absent or empty), so that the next start is a
// first start again; a TLS certificate error comes first, says it is about
// TLS, and no "listening" line precedes it.
func TestFailedStartLeavesNoDataDir(t *testing.T) {
	dir := t.TempDir()
	badSeed := filepath.Join(dir, "seed.yaml")
	if err := os.WriteFile(badSeed, []byte("accounts:\n  - name: admin\n    projects:\n      - name: local-1\n        keys:\n          - alias: k\n            spec: NO_SUCH_SPEC\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o700); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		data string
		args []string
		want string
	}{
		"bad seed, new dir":   {filepath.Join(dir, "new"), []string{"--seed", badSeed}, "seed:"},
		"bad seed, empty dir": {empty, []string{"--seed", badSeed}, "seed:"},
		"missing TLS files":   {filepath.Join(dir, "tls"), []string{"--tls-cert", filepath.Join(dir, "no.crt"), "--tls-key", filepath.Join(dir, "no.key")}, "TLS: loading the certificate"},
	} {
		t.Run(name, func(t *testing.T) {
			code, _, errOut := runCLI(append([]string{"serve", "--listen", "127.0.0.1:0", "--data", tc.data}, tc.args...)...)
			if code != 1 || !strings.Contains(errOut, tc.want) || strings.Contains(errOut, "listening") {
				t.Errorf("exit %d, %q", code, errOut)
			}
			entries, err := os.ReadDir(tc.data)
			switch {
			case tc.data == empty && (err != nil || len(entries) != 0):
				t.Errorf("the empty data dir now holds %v (%v)", entries, err)
			case tc.data != empty && !os.IsNotExist(err):
				t.Errorf("the failed start left %s behind: %v", tc.data, entries)
			}
		})
	}
	// A data directory that held anything is left alone.
	kept := filepath.Join(dir, "kept")
	startServe(t, nil, "--data", kept, "--print-env=false").stop()
	if code, _, _ := runCLI("serve", "--listen", "127.0.0.1:0", "--data", kept, "--seed", badSeed); code != 1 {
		t.Fatalf("bad seed: exit %d", code)
	}
	if _, err := os.Stat(filepath.Join(kept, rootkey.FileName)); err != nil {
		t.Errorf("a failed start on an existing data dir removed its root key: %v", err)
	}
}

// TestRootKeyOfAnOlderDatabase: a database from before the root key check
// (no check value) names a wrong root key too, and records the check value
// on the first start with the right one.
func TestRootKeyOfAnOlderDatabase(t *testing.T) {
	data := t.TempDir()
	startServe(t, nil, "--data", data, "--print-env=false").stop()
	forget := func() {
		st, err := sqlite.Open(filepath.Join(data, "kmsd.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if err := st.Update(context.Background(), func(tx store.Tx) error { return tx.DeleteSetting(context.Background(), "root-key-check") }); err != nil {
			t.Fatal(err)
		}
	}
	forget()
	keyFile := filepath.Join(data, rootkey.FileName)
	original, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(keyFile); err != nil {
		t.Fatal(err)
	}
	if _, err := rootkey.OpenFile(data); err != nil { // another key in its place
		t.Fatal(err)
	}
	if code, _, errOut := runCLI("serve", "--listen", "127.0.0.1:0", "--data", data); code != 1 || !strings.Contains(errOut, "the root key does not match this database") {
		t.Errorf("wrong root key: exit %d, %q", code, errOut)
	}
	if err := os.WriteFile(keyFile, original, 0o600); err != nil {
		t.Fatal(err)
	}
	startServe(t, nil, "--data", data, "--print-env=false").stop()
	st, err := sqlite.Open(filepath.Join(data, "kmsd.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.GetSetting(context.Background(), "root-key-check"); err != nil {
		t.Errorf("the check value was not recorded: %v", err)
	}
}
