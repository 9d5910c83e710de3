package api

import (
	"errors"
	"strings"
	"testing"

	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/wire"
)

// TestAsymDTOValidate checks the field rules of the family's request DTOs.
func TestAsymDTOValidate(t *testing.T) {
	const id = "0d0466b0-e727-4d9c-b35d-f84bb474a37f"
	b64 := func(n int) string { return strings.Repeat("A", n) }
	for name, tc := range map[string]struct {
		dto  wire.Request
		body string
		want *kmserr.Error // nil: valid
	}{
		"sign/ok":                {&wire.SignReq{}, `{"key_id":"alias/a","message":"AAAA","signing_algorithm":"SM2DSA_SM3","message_type":"RAW"}`, nil},
		"sign/4095 bytes":        {&wire.SignReq{}, `{"key_id":"k","message":"` + b64(5460) + `","signing_algorithm":"ECDSA_SHA_256"}`, nil},
		"sign/4098 bytes":        {&wire.SignReq{}, `{"key_id":"k","message":"` + b64(5464) + `","signing_algorithm":"ECDSA_SHA_256"}`, kmserr.InvalidParameter},
		"sign/unknown algorithm": {&wire.SignReq{}, `{"key_id":"k","message":"AAAA","signing_algorithm":"DSA"}`, kmserr.InvalidParameter},
		"sign/missing key":       {&wire.SignReq{}, `{"message":"AAAA","signing_algorithm":"ECDSA_SHA_256"}`, kmserr.MissingParameter},
		"verify/no signature":    {&wire.VerifyReq{}, `{"key_id":"k","message":"AAAA","signing_algorithm":"ECDSA_SHA_256"}`, kmserr.MissingParameter},
		"mac/ok":                 {&wire.MACReq{}, `{"key_id":"k","mac_algorithm":"HMAC_SM3","message":"AAAA"}`, nil},
		"mac/4097 bytes":         {&wire.MACReq{}, `{"key_id":"k","mac_algorithm":"HMAC_SM3","message":"` + b64(5464) + `"}`, kmserr.InvalidParameter},
		"verify-mac/odd hex":     {&wire.VerifyMACReq{}, `{"key_id":"k","mac_algorithm":"HMAC_SM3","message":"AAAA","mac":"abc"}`, kmserr.InvalidParameter},
		"rsa pair/EC spec":       {&wire.RSAPairReq{}, `{"key_id":"k","key_spec":"SM2"}`, kmserr.DatakeySpec},
		"ec pair/ok":             {&wire.ECPairReq{}, `{"key_id":"k","key_spec":"ECC_NIST_P521","with_plain_text":false}`, nil},
		"ec pair/long aad":       {&wire.ECPairReq{}, `{"key_id":"k","key_spec":"SM2","additional_authenticated_data":"` + b64(129) + `"}`, kmserr.InvalidParameter},
		"derive/empty recipient": {&wire.DeriveReq{}, `{"key_id":"k","key_agreement_algorithm":"ECDH","public_key":"AAAA","recipient":{}}`, nil},
		"derive/long key":        {&wire.DeriveReq{}, `{"key_id":"k","key_agreement_algorithm":"ECDH","public_key":"` + b64(1368) + `"}`, kmserr.InvalidParameter},
		"params/SHA-1":           {&wire.ImportParamsReq{}, `{"key_id":"` + id + `","wrapping_algorithm":"RSAES_OAEP_SHA_1"}`, nil},
		"params/SM2":             {&wire.ImportParamsReq{}, `{"key_id":"` + id + `","wrapping_algorithm":"SM2_ENCRYPT"}`, kmserr.InvalidParameter},
		"import/ok":              {&wire.ImportReq{}, `{"key_id":"` + id + `","import_token":"` + b64(200) + `","encrypted_key_material":"` + b64(344) + `","expiration_time":"1"}`, nil},
		"import/zero expiry":     {&wire.ImportReq{}, `{"key_id":"` + id + `","import_token":"` + b64(200) + `","encrypted_key_material":"` + b64(344) + `","expiration_time":0}`, kmserr.ImportExpiry},
		"import/long token":      {&wire.ImportReq{}, `{"key_id":"` + id + `","import_token":"` + b64(6148) + `","encrypted_key_material":"` + b64(344) + `"}`, kmserr.ImportTokenInvalid},
		"import/long material":   {&wire.ImportReq{}, `{"key_id":"` + id + `","import_token":"` + b64(200) + `","encrypted_key_material":"` + b64(364) + `"}`, kmserr.InvalidParameter},
		"pin/ok":                 {&wire.PinReq{}, `{"pin_type":"PlainText","keystore_id":"2"}`, nil},
		"pin/long keystore":      {&wire.PinReq{}, `{"keystore_id":"` + b64(65) + `"}`, kmserr.InvalidParameter},
	} {
		t.Run(name, func(t *testing.T) {
			err := decode([]byte(tc.body), tc.dto, false)
			if err == nil {
				err = tc.dto.Validate()
			}
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}
