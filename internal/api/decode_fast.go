package api

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"sync"
)

// Strict decoding without json.Decoder. json.Decoder is the only way
// encoding/json rejects unknown fields, but it scans its input more slowly
// than json.Unmarshal, which showed on the data plane's large bodies. For
// request types whose fields hold no nested structs (every data-plane
// request), decode instead runs json.Unmarshal (full syntax and type
// checks) and then compares the body's top-level keys with the type's field
// names. Types with nested structs keep json.Decoder, which checks unknown
// fields at every depth. FuzzStrictDecodeAgrees checks both paths agree.

// fieldSet is what strict decoding needs to know about a request type.
type fieldSet struct {
	names  []string // JSON names of the top-level fields (embedded structs flattened)
	nested bool     // a field holds a struct: use json.Decoder
}

var fieldSets sync.Map // reflect.Type -> *fieldSet

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// fieldsOf returns the field set of struct type t, computed once.
func fieldsOf(t reflect.Type) *fieldSet {
	if fs, ok := fieldSets.Load(t); ok {
		return fs.(*fieldSet)
	}
	fs := &fieldSet{}
	collectFields(t, fs)
	fieldSets.Store(t, fs)
	return fs
}

func collectFields(t reflect.Type, fs *fieldSet) {
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			collectFields(f.Type, fs) // promoted fields, as encoding/json does
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		fs.names = append(fs.names, name)
		fs.nested = fs.nested || holdsStruct(f.Type)
	}
}

// holdsStruct reports whether values of t contain a struct that
// encoding/json decodes field by field.
func holdsStruct(t reflect.Type) bool {
	for {
		if t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType) {
			return false
		}
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
			t = t.Elem()
		case reflect.Struct:
			return true
		default:
			return false
		}
	}
}

// known reports whether key names a field, matching like encoding/json
// (exactly, else case-insensitively).
func (fs *fieldSet) known(key string) bool {
	for _, n := range fs.names {
		if n == key || strings.EqualFold(n, key) {
			return true
		}
	}
	return false
}

// knownBytes is known for a key given as bytes, without allocating.
func (fs *fieldSet) knownBytes(key []byte) bool {
	for _, n := range fs.names {
		if n == string(key) || bytes.EqualFold([]byte(n), key) {
			return true
		}
	}
	return false
}

// unknownKey returns the first top-level key of the JSON object b that
// names no field. b must be a syntactically valid JSON object (json.Unmarshal
// accepted it).
func unknownKey(b []byte, fs *fieldSet) (string, bool) {
	i := bytes.IndexByte(b, '{') + 1
	for {
		i = skipSpace(b, i)
		if b[i] == '}' {
			return "", false
		}
		end := skipString(b, i)
		if raw := b[i+1 : end-1]; bytes.IndexByte(raw, '\\') >= 0 {
			var key string
			json.Unmarshal(b[i:end], &key) // valid JSON string: cannot fail
			if !fs.known(key) {
				return key, true
			}
		} else if !fs.knownBytes(raw) {
			return string(raw), true
		}
		i = skipValue(b, skipSpace(b, end)+1) // past the ':'
		i = skipSpace(b, i)
		if b[i] == '}' {
			return "", false
		}
		i++ // ','
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the JSON string starting at b[i] ('"').
// It jumps between quotes and backslashes with IndexByte (vectorized), as
// data-plane strings are long base64 runs without either.
func skipString(b []byte, i int) int {
	for i++; ; {
		q := i + bytes.IndexByte(b[i:], '"') // a valid string ends: never -1
		e := bytes.IndexByte(b[i:q], '\\')
		if e < 0 {
			return q + 1
		}
		i += e + 2 // past the backslash and the byte it escapes
	}
}

// skipValue returns the index after the JSON value starting at or after b[i].
func skipValue(b []byte, i int) int {
	i = skipSpace(b, i)
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for ; ; i++ {
			switch b[i] {
			case '"':
				i = skipString(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
	}
	for i < len(b) && !bytes.ContainsRune([]byte(",}] \t\r\n"), rune(b[i])) {
		i++
	}
	return i
}
