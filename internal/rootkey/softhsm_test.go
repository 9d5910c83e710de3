//go:build cgo && !nopkcs11

package rootkey

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/kmsd/kmsd/internal/testkit/softhsm"
)

func TestSoftHSMContract(t *testing.T) {
	lib := softhsm.Module(t)
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
