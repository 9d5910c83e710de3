package e2e

import (
	"testing"

	"github.com/kmsd/kmsd/internal/domain"
)

// TestAsymmetricActionsNotGrantable: none of the asymmetric, MAC, key pair,
// ECDH or import actions is grantable, so a grantee holding every grantable
// operation is refused with 403 KMS.0306, and a stranger gets 404 KMS.0207.
func TestAsymmetricActionsNotGrantable(t *testing.T) {
	nd, owner, bob, carol := startTenants(t)
	c := nd.sdk(owner)
	keys := keysFor(t, c, "", "EC_P256", "HMAC_256", "AES_256")
	ext := newKey(t, c, "AES_256", "", "external")
	noErr(t, importSymmetric(t, c, ext, make([]byte, 32), nil)) // grants need an enabled key
	for _, id := range []string{keys["EC_P256"], keys["HMAC_256"], keys["AES_256"], ext} {
		grantRaw(t, nd, owner, id, bob.userID, "user", domain.GrantableOps)
	}
	ec, mac, aes := keys["EC_P256"], keys["HMAC_256"], keys["AES_256"]
	digest := `"message":"` + b64(make([]byte, 32)) + `"`
	for action, body := range map[string]string{
		"sign":                         `{"key_id":"` + ec + `",` + digest + `,"signing_algorithm":"ECDSA_SHA_256"}`,
		"verify":                       `{"key_id":"` + ec + `",` + digest + `,"signing_algorithm":"ECDSA_SHA_256","signature":"AAAA"}`,
		"get-publickey":                `{"key_id":"` + ec + `"}`,
		"derive-shared-secret":         `{"key_id":"` + ec + `","key_agreement_algorithm":"ECDH","public_key":"AAAA"}`,
		"generate-mac":                 `{"key_id":"` + mac + `","mac_algorithm":"HMAC_SHA_256","message":"AAAA"}`,
		"verify-mac":                   `{"key_id":"` + mac + `","mac_algorithm":"HMAC_SHA_256","message":"AAAA","mac":"00"}`,
		"create-rsa-datakey-pair":      `{"key_id":"` + aes + `","key_spec":"RSA_2048"}`,
		"create-ec-datakey-pair":       `{"key_id":"` + aes + `","key_spec":"ECC_NIST_P256"}`,
		"get-parameters-for-import":    `{"key_id":"` + ext + `","wrapping_algorithm":"RSAES_OAEP_SHA_256"}`,
		"import-key-material":          `{"key_id":"` + ext + `","import_token":"` + b64(make([]byte, 300)) + `","encrypted_key_material":"` + b64(make([]byte, 256)) + `"}`,
		"delete-imported-key-material": `{"key_id":"` + ext + `"}`,
	} {
		t.Run(action, func(t *testing.T) {
			if st, b := nd.call(bob, "POST", action, body); st != 403 || errCode(b) != "KMS.0306" {
				t.Fatalf("grantee: %d %s", st, b)
			}
			if st, b := nd.call(carol, "POST", action, body); st != 404 || errCode(b) != "KMS.0207" {
				t.Fatalf("stranger: %d %s", st, b)
			}
		})
	}
}
