//go:build cgo && !nopkcs11

package rootkey

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// softHSMLibs are where distributions install the SoftHSM2 PKCS#11 module;
// KMSD_SOFTHSM_MODULE overrides them.
var softHSMLibs = []string{
	"/usr/lib/softhsm/libsofthsm2.so",
	"/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
	"/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
	"/usr/lib64/pkcs11/libsofthsm2.so",
	"/usr/local/lib/softhsm/libsofthsm2.so",
	"/opt/homebrew/lib/softhsm/libsofthsm2.so",
}

// softHSM returns the module path, initializing a fresh token "kmsd" (user
// PIN 1234) in a private token directory. It skips when SoftHSM2 is not
// installed, or fails when KMSD_REQUIRE_SOFTHSM=1.
func softHSM(t *testing.T) string {
	t.Helper()
	lib := os.Getenv("KMSD_SOFTHSM_MODULE")
	if lib == "" {
		for _, p := range softHSMLibs {
			if _, err := os.Stat(p); err == nil {
				lib = p
				break
			}
		}
	}
	util, utilErr := exec.LookPath("softhsm2-util")
	if lib == "" || utilErr != nil {
		msg := "softhsm2 not installed: no libsofthsm2.so or softhsm2-util found; " +
			"the PKCS#11 root key was NOT tested against a real token " +
			"(apt-get install -y softhsm2, or set KMSD_SOFTHSM_MODULE)"
		if os.Getenv("KMSD_REQUIRE_SOFTHSM") == "1" {
			t.Fatal(msg + " and KMSD_REQUIRE_SOFTHSM=1")
		}
		t.Skip(msg)
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

func TestSoftHSMContract(t *testing.T) {
	lib := softHSM(t)
	pinFile := filepath.Join(t.TempDir(), "pin")
	if err := os.WriteFile(pinFile, []byte("1234\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	uri := func(object string) string {
		return "pkcs11:token=kmsd;object=" + object + "?module-path=" + lib + "&pin-source=" + pinFile + "&create=1"
	}
	runContract(t, harness{
		open:  func(t *testing.T) RootKey { return openP11T(t, uri("kmsd-root")) },
		other: func(t *testing.T) RootKey { return openP11T(t, uri("kmsd-other")) },
	})
	t.Run("KeyAttributes", func(t *testing.T) {
		k := openP11T(t, uri("kmsd-root"))
		defer k.Close()
		checkKeyAttributes(t, k)
	})
	t.Run("NoCreate", func(t *testing.T) {
		if k, err := Open(Config{Kind: "pkcs11", PKCS11URI: "pkcs11:token=kmsd;object=absent?module-path=" + lib + "&pin-value=1234"}); err == nil {
			k.Close()
			t.Fatal("opened a missing key without create=1")
		}
	})
	t.Run("WrongPIN", func(t *testing.T) {
		if k, err := Open(Config{Kind: "pkcs11", PKCS11URI: "pkcs11:token=kmsd;object=kmsd-root?module-path=" + lib + "&pin-value=0000"}); err == nil {
			k.Close()
			t.Fatal("opened with a wrong PIN")
		}
	})
}
