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
	"github.com/kmsd/kmsd/internal/wire"
)

// decode parses body into v: it must be one JSON object, in valid UTF-8,
// whose known fields have the documented JSON type. An empty body decodes
// as {}. Fields v does not define are ignored, as Huawei's service ignores
// them (newer SDK models and other clients send fields an older model
// lacks), unless strict: then they are refused at every depth. Syntax and
// encoding errors answer KMS.0202; type errors, unknown fields (strict)
// and non-object bodies KMS.0214.
func decode(body []byte, v any, strict bool) error {
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
	if !strict {
		if err := json.Unmarshal(body, v); err != nil {
			return decodeError(err)
		}
		return nil
	}
	if t := reflect.TypeOf(v).Elem(); t.Kind() == reflect.Struct {
		if fs := fieldsOf(t); !fs.nested {
			return decodeFlat(body, v, fs)
		}
	}
	return decodeStream(body, v)
}

// decodeStream is strict decode through json.Decoder, which rejects
// unknown fields at every depth.
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

// decodeFlat is strict decode for types without nested structs (decode_fast.go).
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
	var fe *wire.FieldError
	if errors.As(err, &fe) {
		return kmserr.InvalidFormat.Msgf("%s", fe.Error())
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

func errInvalidURL(path string) error {
	return kmserr.InvalidURL.Msgf("No API at %s.", strconv.Quote(path))
}
