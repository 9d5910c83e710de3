package wire

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/service"
)

// Field types and the field rules shared by the request types. Every
// failure is a 4xx API error naming the field.

// FlexString is a string field that clients send either as a JSON string
// ("2", what the SDK sends) or as a JSON number (2, what Terraform sends),
// e.g. limit, marker and offset. null leaves it empty.
type FlexString string

// UnmarshalJSON accepts a string or a number; anything else is a
// *FieldError.
func (f *FlexString) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = FlexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return &FieldError{msg: "expected a string or a number"}
	}
	*f = FlexString(n.String())
	return nil
}

// FieldError is a field value of the wrong JSON type, reported by a field
// type's UnmarshalJSON; the decoder answers it KMS.0214.
type FieldError struct{ msg string }

func (e *FieldError) Error() string { return e.msg }

// intField parses an optional integer field in [min, max]; empty gives def.
// Out of range or not an integer returns bad.
func intField(v FlexString, def, min, max int, bad *kmserr.Error) (int, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(string(v))
	if err != nil || n < min || n > max {
		return 0, bad.Msgf("%s Got %q; expected an integer from %d to %d.", bad.Msg, string(v), min, max)
	}
	return n, nil
}

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

// mgmtKeyRef validates a key reference of the management actions: a key
// id, an alias name ("alias/x") or an alias URN ("kms:…:alias:x").
// Empty answers KMS.0204; a malformed id or alias KMS.0205.
func mgmtKeyRef(field, ref string) error {
	switch {
	case ref == "":
		return kmserr.MissingParameter.Msgf("%s is required.", field)
	case domain.ValidKeyID(ref):
		return nil
	case strings.HasPrefix(ref, service.AliasPrefix):
		if service.CheckAliasName(ref) != nil {
			return kmserr.InvalidKeyID.Msgf("%s is neither a key id nor a valid alias.", field)
		}
		return nil
	case strings.HasPrefix(ref, "kms:") && strings.Contains(ref, ":alias:") && len(ref) <= 512:
		return nil
	}
	return kmserr.InvalidKeyID.Msgf("%s must be a key id (36 characters), an alias or an alias URN.", field)
}

// decodeBase64 decodes standard padded base64 without line breaks.
func decodeBase64(s string) ([]byte, bool) {
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	return b, err == nil && !strings.ContainsAny(s, "\r\n")
}

// decodeHex decodes hex of either case.
func decodeHex(s string) ([]byte, bool) {
	b, err := hex.DecodeString(s)
	return b, err == nil
}
