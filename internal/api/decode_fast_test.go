package api

import (
	"reflect"
	"strings"
	"testing"

	"github.com/kmsd/kmsd/internal/wire"
)

// allDTOs returns a fresh value of every request DTO of every family.
func allDTOs() []wire.Request {
	var all []wire.Request
	symmetric := func() []wire.Request {
		return []wire.Request{&wire.EncryptDataReq{}, &wire.DecryptDataReq{}, &wire.CreateDatakeyReq{}, &wire.EncryptDatakeyReq{},
			&wire.DecryptDatakeyReq{}, &wire.GenRandomReq{}, &wire.ReEncryptReq{}}
	}
	for _, f := range []func() []wire.Request{requestDTOs, symmetric, asymRequestDTOs, mgmtDTOs} {
		all = append(all, f()...)
	}
	return all
}

func TestFieldSets(t *testing.T) {
	fs := fieldsOf(reflect.TypeFor[wire.EncryptDataReq]())
	if fs.nested {
		t.Fatal("wire.EncryptDataReq has no nested struct")
	}
	for _, want := range []string{"key_id", "plain_text", "encryption_algorithm", "sequence", "additional_authenticated_data"} {
		if !fs.known(want) || !fs.known(strings.ToUpper(want)) {
			t.Errorf("%s not known", want)
		}
	}
	if fs.known("blob") || fs.known("aad") {
		t.Error("unexported fields are not JSON fields")
	}
	if !fieldsOf(reflect.TypeFor[wire.TokenReq]()).nested {
		t.Error("wire.TokenReq nests structs")
	}
}

func TestUnknownKey(t *testing.T) {
	fs := &fieldSet{names: []string{"a", "b"}}
	for body, want := range map[string]string{
		`{}`: "", `{"a":1}`: "", `{"a":{"x":[1,"}",{"y":"]"}]},"b":"\"}"}`: "",
		`{"a":1,"c":2}`: "c", ` { "b" : [ ] , "\u0063" : null } `: "c", `{"A":true}`: "", `{"a\"":1}`: `a"`,
	} {
		got, _ := unknownKey([]byte(body), fs)
		if got != want {
			t.Errorf("%s: unknown %q, want %q", body, got, want)
		}
	}
}

// FuzzStrictDecodeAgrees checks that the fast path (json.Unmarshal plus the
// top-level key check) accepts and rejects exactly what json.Decoder with
// DisallowUnknownFields does, and decodes the same values.
func FuzzStrictDecodeAgrees(f *testing.F) {
	for _, s := range []string{`{"key_id":"k","plain_text":"p"}`, `{"key_id":"k","x":1}`, `{"KEY_ID":"k"}`,
		`{"limit":5,"marker":"2"}`, `{"key_id":"k"} x`, `{"key_id":1}`, `{"encryption_context":{"a":"b"}}`,
		`{"a":{"b":[1,{"c":"\""}]}}`, `{"tags":[{"key":"k","value":"v","x":1}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, v := range allDTOs() {
			fs := fieldsOf(reflect.TypeOf(v).Elem())
			if fs.nested || len(body) == 0 || body[0] != '{' {
				continue
			}
			slow := reflect.New(reflect.TypeOf(v).Elem()).Interface()
			errFast, errSlow := decodeFlat(body, v, fs), decodeStream(body, slow)
			if (errFast == nil) != (errSlow == nil) {
				t.Fatalf("%T on %q: fast %v, stream %v", v, body, errFast, errSlow)
			}
			if errFast == nil && !reflect.DeepEqual(v, slow) {
				t.Fatalf("%T on %q: fast %+v, stream %+v", v, body, v, slow)
			}
		}
	})
}
