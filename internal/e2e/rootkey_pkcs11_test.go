//go:build cgo && !nopkcs11

package e2e

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"

	"github.com/kmsd/kmsd/internal/config"
	"github.com/kmsd/kmsd/internal/testkit/softhsm"
)

// TestPKCS11RootKey runs kmsd with its root key in a SoftHSM2 token
// (--root-key pkcs11:…): keys created, used, and still usable after a
// restart, with nothing but the token holding the root key.
func TestPKCS11RootKey(t *testing.T) {
	lib := softhsm.Module(t)
	pin := filepath.Join(t.TempDir(), "pin")
	if err := os.WriteFile(pin, []byte("1234\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	uri := "pkcs11:token=kmsd;object=kmsd-root?module-path=" + lib + "&pin-source=" + pin + "&create=1"
	nd := startNode(t, func(c *config.Config) { c.RootKey = uri })
	if _, err := os.Stat(filepath.Join(nd.cfg.DataDir, "root.key")); !os.IsNotExist(err) {
		t.Fatalf("a root.key file exists next to a PKCS#11 root key: %v", err)
	}
	c := nd.client()
	id := createKey(t, c, "hsm-wrapped", nil)
	plain := base64.StdEncoding.EncodeToString([]byte("sealed under an HSM root key"))
	enc, err := c.EncryptData(&model.EncryptDataRequest{Body: &model.EncryptDataRequestBody{KeyId: id, PlainText: plain}})
	if err != nil {
		t.Fatal(err)
	}
	nd.restart()
	dec, err := nd.client().DecryptData(&model.DecryptDataRequest{Body: &model.DecryptDataRequestBody{CipherText: *enc.CipherText}})
	if err != nil {
		t.Fatal(err)
	}
	if *dec.PlainText != plain {
		t.Fatalf("decrypted %q", *dec.PlainText)
	}
}
