//go:build !cgo || nopkcs11

package rootkey

import (
	"strings"
	"testing"
)

func TestPKCS11Unavailable(t *testing.T) {
	_, err := Open(Config{Kind: "pkcs11", PKCS11URI: "pkcs11:token=kmsd;object=k?module-path=/lib.so"})
	if err == nil || !strings.Contains(err.Error(), "not available in this build") {
		t.Fatalf("Open(pkcs11) without PKCS#11 support = %v", err)
	}
}
