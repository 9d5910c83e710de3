package api

import (
	"testing"

	"github.com/kmsd/kmsd/internal/wire"
)

// asymRequestDTOs returns a fresh value of every request DTO of the
// asymmetric, MAC, key pair, key agreement, import and PIN actions.
func asymRequestDTOs() []wire.Request {
	return []wire.Request{
		&wire.SignReq{}, &wire.VerifyReq{}, &wire.KeyRefReq{}, &wire.MACReq{}, &wire.VerifyMACReq{},
		&wire.RSAPairReq{}, &wire.ECPairReq{}, &wire.DeriveReq{}, &wire.PinReq{},
		&wire.ImportParamsReq{}, &wire.ImportReq{}, &wire.KeyReq{}, &wire.DeleteMaterialReq{},
	}
}

// FuzzDecodeAsymRequests feeds arbitrary bodies to every DTO of the family.
func FuzzDecodeAsymRequests(f *testing.F) {
	fuzzRequests(f, asymRequestDTOs,
		`{"key_id":"0d0466b0-e727-4d9c-b35d-f84bb474a37f","message":"AAAA","signing_algorithm":"ECDSA_SHA_256","message_type":"RAW","signature":"AAAA"}`,
		`{"key_id":"alias/x","mac_algorithm":"HMAC_SHA_256","message":"dGVzdA==","mac":"00ff"}`,
		`{"key_id":"k","key_spec":"ECC_NIST_P256","with_plain_text":false,"pin_type":"PlainText","additional_authenticated_data":"a"}`,
		`{"key_id":"k","key_agreement_algorithm":"ECDH","public_key":"AAAA","recipient":{}}`,
		`{"key_id":"0d0466b0-e727-4d9c-b35d-f84bb474a37f","wrapping_algorithm":"RSAES_OAEP_SHA_256"}`,
		`{"key_id":"0d0466b0-e727-4d9c-b35d-f84bb474a37f","import_token":"AAAA","encrypted_key_material":"AAAA","expiration_time":"1700000000"}`,
		`{"expiration_time":99999999999999999999}`, `{"pin_type":"CipherText","keystore_id":"1"}`)
}
