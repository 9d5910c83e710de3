package api

import (
	"errors"
	"strings"
	"testing"

	"github.com/kmsd/kmsd/internal/kmserr"
)

// TestAsymDTOValidate checks the field rules of the family's request DTOs.
func TestAsymDTOValidate(t *testing.T) {
	const id = "0d0466b0-e727-4d9c-b35d-f84bb474a37f"
	b64 := func(n int) string { return strings.Repeat("A", n) }
	for name, tc := range map[string]struct {
		dto  validator
		body string
		want *kmserr.Error // nil: valid
	}{
		"sign/ok":                {&signReq{}, `{"key_id":"alias/a","message":"AAAA","signing_algorithm":"SM2DSA_SM3","message_type":"RAW"}`, nil},
		"sign/4095 bytes":        {&signReq{}, `{"key_id":"k","message":"` + b64(5460) + `","signing_algorithm":"ECDSA_SHA_256"}`, nil},
		"sign/4098 bytes":        {&signReq{}, `{"key_id":"k","message":"` + b64(5464) + `","signing_algorithm":"ECDSA_SHA_256"}`, kmserr.InvalidParameter},
		"sign/unknown algorithm": {&signReq{}, `{"key_id":"k","message":"AAAA","signing_algorithm":"DSA"}`, kmserr.InvalidParameter},
		"sign/missing key":       {&signReq{}, `{"message":"AAAA","signing_algorithm":"ECDSA_SHA_256"}`, kmserr.MissingParameter},
		"verify/no signature":    {&verifyReq{}, `{"key_id":"k","message":"AAAA","signing_algorithm":"ECDSA_SHA_256"}`, kmserr.MissingParameter},
		"mac/ok":                 {&macReq{}, `{"key_id":"k","mac_algorithm":"HMAC_SM3","message":"AAAA"}`, nil},
		"mac/4097 bytes":         {&macReq{}, `{"key_id":"k","mac_algorithm":"HMAC_SM3","message":"` + b64(5464) + `"}`, kmserr.InvalidParameter},
		"verify-mac/odd hex":     {&verifyMACReq{}, `{"key_id":"k","mac_algorithm":"HMAC_SM3","message":"AAAA","mac":"abc"}`, kmserr.InvalidParameter},
		"rsa pair/EC spec":       {&rsaPairReq{}, `{"key_id":"k","key_spec":"SM2"}`, kmserr.DatakeySpec},
		"ec pair/ok":             {&ecPairReq{}, `{"key_id":"k","key_spec":"ECC_NIST_P521","with_plain_text":false}`, nil},
		"ec pair/long aad":       {&ecPairReq{}, `{"key_id":"k","key_spec":"SM2","additional_authenticated_data":"` + b64(129) + `"}`, kmserr.InvalidParameter},
		"derive/empty recipient": {&deriveReq{}, `{"key_id":"k","key_agreement_algorithm":"ECDH","public_key":"AAAA","recipient":{}}`, nil},
		"derive/long key":        {&deriveReq{}, `{"key_id":"k","key_agreement_algorithm":"ECDH","public_key":"` + b64(1368) + `"}`, kmserr.InvalidParameter},
		"params/SHA-1":           {&importParamsReq{}, `{"key_id":"` + id + `","wrapping_algorithm":"RSAES_OAEP_SHA_1"}`, nil},
		"params/SM2":             {&importParamsReq{}, `{"key_id":"` + id + `","wrapping_algorithm":"SM2_ENCRYPT"}`, kmserr.InvalidParameter},
		"import/ok":              {&importReq{}, `{"key_id":"` + id + `","import_token":"` + b64(200) + `","encrypted_key_material":"` + b64(344) + `","expiration_time":"1"}`, nil},
		"import/zero expiry":     {&importReq{}, `{"key_id":"` + id + `","import_token":"` + b64(200) + `","encrypted_key_material":"` + b64(344) + `","expiration_time":0}`, kmserr.ImportExpiry},
		"import/long token":      {&importReq{}, `{"key_id":"` + id + `","import_token":"` + b64(6148) + `","encrypted_key_material":"` + b64(344) + `"}`, kmserr.ImportTokenInvalid},
		"import/long material":   {&importReq{}, `{"key_id":"` + id + `","import_token":"` + b64(200) + `","encrypted_key_material":"` + b64(364) + `"}`, kmserr.InvalidParameter},
		"pin/ok":                 {&pinReq{}, `{"pin_type":"PlainText","keystore_id":"2"}`, nil},
		"pin/long keystore":      {&pinReq{}, `{"keystore_id":"` + b64(65) + `"}`, kmserr.InvalidParameter},
	} {
		t.Run(name, func(t *testing.T) {
			err := decode([]byte(tc.body), tc.dto)
			if err == nil {
				err = tc.dto.Validate()
			}
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}
