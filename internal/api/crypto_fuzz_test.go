package api

import (
	"testing"

	"github.com/kmsd/kmsd/internal/wire"
)

const fuzzKeyID = "0d0466b0-e727-4d9c-b35d-f84bb474a37f"

// Each symmetric data-plane DTO has its own fuzz target, so that each can be
// run on its own (go test -fuzz=FuzzEncryptDataRequest ./internal/api/).

func FuzzEncryptDataRequest(f *testing.F) {
	fuzzRequests(f, func() []wire.Request { return []wire.Request{&wire.EncryptDataReq{}} },
		`{"key_id":"`+fuzzKeyID+`","plain_text":"hi","encryption_algorithm":"SYMMETRIC_DEFAULT","additional_authenticated_data":"a"}`,
		`{"key_id":"alias/x","plain_text":"hi","encryption_context":{"a":"1","b":"2"}}`,
		`{"key_id":"alias/x","plain_text":"hi","encryption_context":"s"}`)
}

func FuzzDecryptDataRequest(f *testing.F) {
	fuzzRequests(f, func() []wire.Request { return []wire.Request{&wire.DecryptDataReq{}} },
		`{"cipher_text":"awFwAAEBAAAAAcr+ur76ztut3sr4iAAAAAAAAAAAAAA=","key_id":"`+fuzzKeyID+`"}`,
		`{"cipher_text":"AA==","encryption_algorithm":"RSAES_OAEP_SHA_256","encryption_context":{"a":"1"}}`)
}

func FuzzCreateDatakeyRequest(f *testing.F) {
	fuzzRequests(f, func() []wire.Request { return []wire.Request{&wire.CreateDatakeyReq{}} },
		`{"key_id":"`+fuzzKeyID+`","key_spec":"AES_128","datakey_length":"128"}`,
		`{"key_id":"alias/x","datakey_length":512,"pin_type":"PlainText","encryption_context":"x"}`)
}

func FuzzEncryptDatakeyRequest(f *testing.F) {
	fuzzRequests(f, func() []wire.Request { return []wire.Request{&wire.EncryptDatakeyReq{}} },
		`{"key_id":"`+fuzzKeyID+`","plain_text":"00ff","datakey_plain_length":"1"}`,
		`{"key_id":"alias/x","plain_text":"AB","datakey_plain_length":1024,"key_spec":"RSA"}`)
}

func FuzzDecryptDatakeyRequest(f *testing.F) {
	fuzzRequests(f, func() []wire.Request { return []wire.Request{&wire.DecryptDatakeyReq{}} },
		`{"key_id":"`+fuzzKeyID+`","cipher_text":"6B01","datakey_cipher_length":"32"}`,
		`{"cipher_text":"6b01","datakey_cipher_length":32,"additional_authenticated_data":"x"}`)
}

func FuzzGenRandomRequest(f *testing.F) {
	fuzzRequests(f, func() []wire.Request { return []wire.Request{&wire.GenRandomReq{}} },
		`{"random_data_length":"512"}`, `{"random_data_length":8,"sequence":"919c82d4-8046-4722-9094-35c3c6524cff"}`)
}

func FuzzReEncryptRequest(f *testing.F) {
	fuzzRequests(f, func() []wire.Request { return []wire.Request{&wire.ReEncryptReq{}} },
		`{"cipher_text":"AA==","destination_key_id":"`+fuzzKeyID+`","source_encryption_algorithm":"SM2_ENCRYPT"}`,
		`{"cipher_text":"6B01","destination_key_id":"alias/x","datakey_cipher_length":"32","destination_additional_authenticated_data":"y"}`)
}
