package e2e

import (
	"net/http"
	"testing"
)

// usageRule is the expected create-key answer for one spec x usage.
type usageRule map[string]string // usage -> "" (allowed) or error code

var (
	symmetricUsages = usageRule{"ENCRYPT_DECRYPT": "", "SIGN_VERIFY": "KMS.1115", "GENERATE_VERIFY_MAC": "KMS.0308"}
	rsaUsages       = usageRule{"ENCRYPT_DECRYPT": "", "SIGN_VERIFY": "", "GENERATE_VERIFY_MAC": "KMS.0308"}
	ecUsages        = usageRule{"ENCRYPT_DECRYPT": "KMS.1114", "SIGN_VERIFY": "", "GENERATE_VERIFY_MAC": "KMS.0308"}
	hmacUsages      = usageRule{"ENCRYPT_DECRYPT": "KMS.0308", "SIGN_VERIFY": "KMS.0308", "GENERATE_VERIFY_MAC": ""}
)

// specMatrix is every create-key spec with its usage rules and default usage.
var specMatrix = []struct {
	spec, defaultUsage string
	rules              usageRule
}{
	{"AES_256", "ENCRYPT_DECRYPT", symmetricUsages},
	{"SM4", "ENCRYPT_DECRYPT", symmetricUsages},
	{"RSA_2048", "SIGN_VERIFY", rsaUsages},
	{"RSA_3072", "SIGN_VERIFY", rsaUsages},
	{"RSA_4096", "SIGN_VERIFY", rsaUsages},
	{"EC_P256", "SIGN_VERIFY", ecUsages},
	{"EC_P384", "SIGN_VERIFY", ecUsages},
	{"SECP256K1", "SIGN_VERIFY", ecUsages},
	{"SM2", "SIGN_VERIFY", rsaUsages},
	{"HMAC_256", "GENERATE_VERIFY_MAC", hmacUsages},
	{"HMAC_384", "GENERATE_VERIFY_MAC", hmacUsages},
	{"HMAC_512", "GENERATE_VERIFY_MAC", hmacUsages},
	{"HMAC_SM3", "GENERATE_VERIFY_MAC", hmacUsages},
}

// TestCreateKeyEverySpecAndUsage creates a key for every spec x allowed
// usage (and the default usage) and checks describe-key; every disallowed
// combination must be refused with its documented code.
func TestCreateKeyEverySpecAndUsage(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	for _, m := range specMatrix {
		t.Run(m.spec, func(t *testing.T) {
			t.Parallel()
			for _, usage := range []string{"", "ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC"} {
				code := m.rules[usage]
				id, err := tryKey(c, m.spec, usage, "")
				if code != "" {
					wantErr(t, err, http.StatusBadRequest, code)
					continue
				}
				if err != nil {
					t.Fatalf("usage %q: %v", usage, err)
				}
				want := usage
				if want == "" {
					want = m.defaultUsage
				}
				d := describe(t, c, id)
				if d.KeySpec.Value() != m.spec || d.KeyUsage.Value() != want || *d.KeyState != "2" {
					t.Fatalf("usage %q: described as %s/%s state %s", usage, d.KeySpec.Value(), d.KeyUsage.Value(), *d.KeyState)
				}
			}
		})
	}
}

// TestCreateKeyRefusals covers the remaining create-key refusals of the
// spec and origin fields.
func TestCreateKeyRefusals(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	for name, tc := range map[string]struct{ spec, usage, origin, code string }{
		"unknown spec":              {"AES_512", "", "", "KMS.1110"},
		"unknown usage":             {"AES_256", "WRAP", "", "KMS.0308"},
		"unknown origin":            {"AES_256", "", "cloud", "KMS.0308"},
		"external HMAC_256":         {"HMAC_256", "", "external", "KMS.0308"},
		"external HMAC_SM3":         {"HMAC_SM3", "", "external", "KMS.0308"},
		"external EC with encrypt":  {"EC_P256", "ENCRYPT_DECRYPT", "external", "KMS.1114"},
		"external AES with signing": {"AES_256", "SIGN_VERIFY", "external", "KMS.1115"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := tryKey(c, tc.spec, tc.usage, tc.origin)
			wantErr(t, err, http.StatusBadRequest, tc.code)
		})
	}
	for _, spec := range []string{"AES_256", "SM4", "RSA_2048", "EC_P256", "EC_P384", "SECP256K1", "SM2"} {
		t.Run("external "+spec, func(t *testing.T) {
			d := describe(t, c, newKey(t, c, spec, "", "external"))
			if *d.KeyState != "5" || d.Origin.Value() != "external" {
				t.Fatalf("external %s: state %s origin %s", spec, *d.KeyState, d.Origin.Value())
			}
		})
	}
}
