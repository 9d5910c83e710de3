//go:build !cgo || nopkcs11

package rootkey

import "errors"

// openPKCS11 is unavailable in this build: PKCS#11 needs cgo to load the
// token's C library, and the nopkcs11 build tag removes it on purpose.
func openPKCS11(string) (RootKey, error) {
	return nil, errors.New("rootkey: pkcs11 root key is not available in this build (built without cgo or with the nopkcs11 tag); rebuild with CGO_ENABLED=1 or use the file root key")
}
