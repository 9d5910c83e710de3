package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kmsd/kmsd/internal/kmserr"
)

// validator is implemented by every request DTO: it checks every field rule
// before any key is touched and returns an *kmserr.Error.
type validator interface {
	Validate() error
}

// decode parses body strictly into v: it must be one JSON object, in valid
// UTF-8, whose fields are all known and of the documented JSON type. An
// empty body decodes as {}. Syntax and encoding errors answer KMS.0202; type
// errors, unknown fields and non-object bodies KMS.0214.
func decode(body []byte, v any) error {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		body = []byte("{}")
	}
	if !utf8.Valid(body) {
		// encoding/json would silently replace invalid bytes with U+FFFD.
		return kmserr.InvalidJSON.Msgf("The request body is not valid UTF-8.")
	}
	if body[0] != '{' {
		return kmserr.InvalidFormat.Msgf("The request body must be a JSON object.")
	}
	if t := reflect.TypeOf(v).Elem(); t.Kind() == reflect.Struct {
		if fs := fieldsOf(t); !fs.nested {
			return decodeFlat(body, v, fs)
		}
	}
	return decodeStream(body, v)
}

// decodeStream is decode through json.Decoder, which rejects unknown fields
// at every depth.
func decodeStream(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return kmserr.InvalidJSON.Msgf("Unexpected data after the JSON object.")
	}
	return nil
}

// decodeFlat is decode for types without nested structs (decode_fast.go).
func decodeFlat(body []byte, v any, fs *fieldSet) error {
	if err := json.Unmarshal(body, v); err != nil {
		return decodeError(err)
	}
	if key, ok := unknownKey(body, fs); ok {
		return kmserr.InvalidFormat.Msgf("Unknown field %q.", key)
	}
	return nil
}

func decodeError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn), errors.Is(err, io.ErrUnexpectedEOF):
		return kmserr.InvalidJSON.Msgf("The request body is not valid JSON.").Wrap(err)
	case errors.As(err, &typ):
		return kmserr.InvalidFormat.Msgf("Field %q must be a JSON %s.", typ.Field, jsonKind(typ.Type.Kind().String()))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// encoding/json has no typed error for this case.
		return kmserr.InvalidFormat.Msgf("Unknown field %s.", strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	var fe *fieldError
	if errors.As(err, &fe) {
		return kmserr.InvalidFormat.Msgf("%s", fe.msg)
	}
	return kmserr.InvalidJSON.Msgf("The request body is not valid JSON.").Wrap(err)
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "slice", "array":
		return "array"
	case "struct", "map":
		return "object"
	}
	return "number"
}

type fieldError struct{ msg string }

func (e *fieldError) Error() string { return e.msg }

// flexString is a string field that clients send either as a JSON string
// ("2", what the SDK sends) or as a JSON number (2, what Terraform sends),
// e.g. limit, marker and offset. null leaves it empty.
type flexString string

// UnmarshalJSON accepts a string or a number.
func (f *flexString) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return &fieldError{msg: "expected a string or a number"}
	}
	*f = flexString(n.String())
	return nil
}

// intField parses an optional integer field in [min, max]; empty gives def.
// Out of range or not an integer returns bad.
func intField(v flexString, def, min, max int, bad *kmserr.Error) (int, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(string(v))
	if err != nil || n < min || n > max {
		return 0, bad.Msgf("%s Got %q; expected an integer from %d to %d.", bad.Msg, string(v), min, max)
	}
	return n, nil
}

func errInvalidURL(path string) error {
	return kmserr.InvalidURL.Msgf("No API at %s.", strconv.Quote(path))
}
