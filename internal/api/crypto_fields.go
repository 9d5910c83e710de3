package api

import (
	"encoding/base64"
	"encoding/hex"
	"slices"

	"github.com/kmsd/kmsd/internal/kmserr"
)

// Field helpers of the asymmetric, MAC and import actions. Every failure is
// a 4xx API error naming the field.

// fieldRequired answers KMS.0204 when v is empty.
func fieldRequired(name, v string) error {
	if v == "" {
		return kmserr.MissingParameter.Msgf("%s is required.", name)
	}
	return nil
}

// fieldBase64 decodes a required standard-base64 (padded) field whose decoded
// length must be in [minLen, maxLen]. Missing: KMS.0204; not base64 or out
// of range: bad (KMS.0308 unless the caller picks another code).
func fieldBase64(name, v string, minLen, maxLen int, bad *kmserr.Error) ([]byte, error) {
	if err := fieldRequired(name, v); err != nil {
		return nil, err
	}
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return nil, bad.Msgf("%s must be standard base64.", name)
	}
	if len(b) < minLen || len(b) > maxLen {
		return nil, bad.Msgf("%s must decode to %d-%d bytes, got %d.", name, minLen, maxLen, len(b))
	}
	return b, nil
}

// fieldHex decodes a required hex field (either case). Missing: KMS.0204;
// not hex: KMS.0308.
func fieldHex(name, v string) ([]byte, error) {
	if err := fieldRequired(name, v); err != nil {
		return nil, err
	}
	b, err := hex.DecodeString(v)
	if err != nil {
		return nil, kmserr.InvalidParameter.Msgf("%s must be hexadecimal.", name)
	}
	return b, nil
}

// fieldEnum checks a required enum field: missing KMS.0204, unknown KMS.0308.
func fieldEnum(name, v string, allowed ...string) error {
	if err := fieldRequired(name, v); err != nil {
		return err
	}
	if !slices.Contains(allowed, v) {
		return kmserr.InvalidParameter.Msgf("%s %q is not one of %v.", name, v, allowed)
	}
	return nil
}

// maxPairAAD bounds additional_authenticated_data (crypto-api.md §1.3).
const maxPairAAD = 128

// fieldAAD answers KMS.0308 for an AAD over maxPairAAD bytes.
func fieldAAD(aad string) error {
	if len(aad) > maxPairAAD {
		return kmserr.InvalidParameter.Msgf("additional_authenticated_data must be at most %d bytes, got %d.", maxPairAAD, len(aad))
	}
	return nil
}
