// Package softhsm prepares a private SoftHSM2 token for tests that need a
// real PKCS#11 module. It is imported only from _test.go files; their
// package's TestMain calls deps.Main.
package softhsm

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/kmsd/kmsd/internal/testkit/deps"
)

// libs are where distributions install the SoftHSM2 PKCS#11 module;
// KMSD_SOFTHSM_MODULE overrides them.
var libs = []string{
	"/usr/lib/softhsm/libsofthsm2.so",
	"/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
	"/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
	"/usr/lib64/pkcs11/libsofthsm2.so",
	"/usr/local/lib/softhsm/libsofthsm2.so",
	"/opt/homebrew/lib/softhsm/libsofthsm2.so",
}

// Module returns the SoftHSM2 module path, initializing a fresh token "kmsd" (user
// PIN 1234) in a private token directory. Without SoftHSM2 (or with a
// KMSD_SOFTHSM_MODULE that does not exist) t skips through deps.SoftHSM.
func Module(t testing.TB) string {
	t.Helper()
	lib := os.Getenv("KMSD_SOFTHSM_MODULE")
	if lib != "" {
		if _, err := os.Stat(lib); err != nil {
			deps.SoftHSM.Skip(t, fmt.Sprintf("KMSD_SOFTHSM_MODULE: %v", err))
		}
	} else {
		for _, p := range libs {
			if _, err := os.Stat(p); err == nil {
				lib = p
				break
			}
		}
	}
	util, utilErr := exec.LookPath("softhsm2-util")
	if lib == "" || utilErr != nil {
		deps.SoftHSM.Skip(t, "no libsofthsm2.so or softhsm2-util found; the PKCS#11 root key was NOT tested against a real token")
	}
	dir := t.TempDir()
	tokens := filepath.Join(dir, "tokens")
	conf := filepath.Join(dir, "softhsm2.conf")
	if err := os.Mkdir(tokens, 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n"
	if err := os.WriteFile(conf, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOFTHSM2_CONF", conf)
	out, err := exec.Command(util, "--init-token", "--free", "--label", "kmsd", "--pin", "1234", "--so-pin", "5678").CombinedOutput()
	if err != nil {
		t.Fatalf("softhsm2-util --init-token: %v\n%s", err, out)
	}
	return lib
}
