package api

import (
	"encoding/json"
	"testing"

	"github.com/kmsd/kmsd/internal/kmserr"
)

const fuzzKeyID = "0d0466b0-e727-4d9c-b35d-f84bb474a37f"

// Each symmetric data-plane DTO has its own fuzz target, so that each can be
// run on its own (go test -fuzz=FuzzEncryptDataRequest ./internal/api/).

func FuzzEncryptDataRequest(f *testing.F) {
	fuzzRequests(f, func() []validator { return []validator{&encryptDataReq{}} },
		`{"key_id":"`+fuzzKeyID+`","plain_text":"hi","encryption_algorithm":"SYMMETRIC_DEFAULT","additional_authenticated_data":"a"}`,
		`{"key_id":"alias/x","plain_text":"hi","encryption_context":{"a":"1","b":"2"}}`,
		`{"key_id":"alias/x","plain_text":"hi","encryption_context":"s"}`)
}

func FuzzDecryptDataRequest(f *testing.F) {
	fuzzRequests(f, func() []validator { return []validator{&decryptDataReq{}} },
		`{"cipher_text":"awFwAAEBAAAAAcr+ur76ztut3sr4iAAAAAAAAAAAAAA=","key_id":"`+fuzzKeyID+`"}`,
		`{"cipher_text":"AA==","encryption_algorithm":"RSAES_OAEP_SHA_256","encryption_context":{"a":"1"}}`)
}

func FuzzCreateDatakeyRequest(f *testing.F) {
	fuzzRequests(f, func() []validator { return []validator{&createDatakeyReq{}} },
		`{"key_id":"`+fuzzKeyID+`","key_spec":"AES_128","datakey_length":"128"}`,
		`{"key_id":"alias/x","datakey_length":512,"pin_type":"PlainText","encryption_context":"x"}`)
}

func FuzzEncryptDatakeyRequest(f *testing.F) {
	fuzzRequests(f, func() []validator { return []validator{&encryptDatakeyReq{}} },
		`{"key_id":"`+fuzzKeyID+`","plain_text":"00ff","datakey_plain_length":"1"}`,
		`{"key_id":"alias/x","plain_text":"AB","datakey_plain_length":1024,"key_spec":"RSA"}`)
}

func FuzzDecryptDatakeyRequest(f *testing.F) {
	fuzzRequests(f, func() []validator { return []validator{&decryptDatakeyReq{}} },
		`{"key_id":"`+fuzzKeyID+`","cipher_text":"6B01","datakey_cipher_length":"32"}`,
		`{"cipher_text":"6b01","datakey_cipher_length":32,"additional_authenticated_data":"x"}`)
}

func FuzzGenRandomRequest(f *testing.F) {
	fuzzRequests(f, func() []validator { return []validator{&genRandomReq{}} },
		`{"random_data_length":"512"}`, `{"random_data_length":8,"sequence":"919c82d4-8046-4722-9094-35c3c6524cff"}`)
}

func FuzzReEncryptRequest(f *testing.F) {
	fuzzRequests(f, func() []validator { return []validator{&reEncryptReq{}} },
		`{"cipher_text":"AA==","destination_key_id":"`+fuzzKeyID+`","source_encryption_algorithm":"SM2_ENCRYPT"}`,
		`{"cipher_text":"6B01","destination_key_id":"alias/x","datakey_cipher_length":"32","destination_additional_authenticated_data":"y"}`)
}

// FuzzEncryptionContext checks that canonicalisation never panics, accepts
// only strings and string-valued objects, and is idempotent: the canonical
// form of an object, parsed again as an object, gives itself.
func FuzzEncryptionContext(f *testing.F) {
	for _, s := range []string{`{"b":"2","a":"1"}`, `"x"`, `{"<":"&"}`, `{"a":"\u2028"}`, `1`, `{"a":"1","a":"2"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !json.Valid(raw) {
			return
		}
		out, err := canonicalContext(raw)
		if err != nil {
			if e, ok := err.(*kmserr.Error); !ok || e.Code != kmserr.InvalidContext.Code {
				t.Fatalf("%q: %v is not KMS.0208", raw, err)
			}
			return
		}
		if len(raw) > 0 && raw[0] == '{' {
			again, err := canonicalContext(out)
			if err != nil || string(again) != string(out) {
				t.Fatalf("%q: canonical %q re-canonicalises to %q (%v)", raw, out, again, err)
			}
		}
	})
}
