package api

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/wire"
)

func TestDecode(t *testing.T) {
	type req struct {
		KeyID string          `json:"key_id"`
		Limit wire.FlexString `json:"limit"`
		Flag  bool            `json:"flag"`
	}
	for name, tc := range map[string]struct {
		body string
		want *kmserr.Error
		out  req
		mode string // "strict" or "tolerant" only; "" both
	}{
		"ok/empty body":             {"", nil, req{}, ""},
		"ok/limit as string":        {`{"limit":"2"}`, nil, req{Limit: "2"}, ""},
		"ok/limit as number":        {`{"limit":2000}`, nil, req{Limit: "2000"}, ""},
		"ok/limit null":             {`{"limit":null}`, nil, req{}, ""},
		"ok/whitespace":             {" \n{\"key_id\":\"a\"}\n", nil, req{KeyID: "a"}, ""},
		"error/syntax":              {`{"key_id":`, kmserr.InvalidJSON, req{}, ""},
		"error/array":               {`[]`, kmserr.InvalidFormat, req{}, ""},
		"error/string body":         {`"x"`, kmserr.InvalidFormat, req{}, ""},
		"error/trailing data":       {`{} x`, kmserr.InvalidJSON, req{}, ""},
		"error/two objects":         {`{}{}`, kmserr.InvalidJSON, req{}, ""},
		"error/unknown field":       {`{"nope":1}`, kmserr.InvalidFormat, req{}, "strict"},
		"ok/unknown field ignored":  {`{"nope":{"deep":[1]},"key_id":"a"}`, nil, req{KeyID: "a"}, "tolerant"},
		"error/unknown badly typed": {`{"nope":1,"key_id":2}`, kmserr.InvalidFormat, req{}, "tolerant"},
		"error/unknown bad syntax":  {`{"nope":tru}`, kmserr.InvalidJSON, req{}, "tolerant"},
		"error/number for string":   {`{"key_id":1}`, kmserr.InvalidFormat, req{}, ""},
		"error/string for bool":     {`{"flag":"true"}`, kmserr.InvalidFormat, req{}, ""},
		"error/object for flex":     {`{"limit":{}}`, kmserr.InvalidFormat, req{}, ""},
		"error/invalid escape":      {`{"key_id":"\x"}`, kmserr.InvalidJSON, req{}, ""},
	} {
		for _, strict := range []bool{false, true} {
			if tc.mode == "strict" && !strict || tc.mode == "tolerant" && strict {
				continue
			}
			t.Run(fmt.Sprintf("%s/strict=%v", name, strict), func(t *testing.T) {
				var got req
				err := decode([]byte(tc.body), &got, strict)
				if tc.want == nil {
					if err != nil || got != tc.out {
						t.Fatalf("got %+v, %v", got, err)
					}
					return
				}
				if !errors.Is(err, tc.want) {
					t.Fatalf("got %v, want %s", err, tc.want.Code)
				}
			})
		}
	}
}

// FuzzDecodeRequests feeds arbitrary bodies to every lifecycle request DTO.
func FuzzDecodeRequests(f *testing.F) {
	fuzzRequests(f, requestDTOs, `{"key_id":"0d0466b0-e727-4d9c-b35d-f84bb474a37f","key_description":"x"}`,
		`{"limit":"2","marker":"1","key_spec":"ALL"}`, `{"pending_days":"7"}`)
}

// fuzzRequests is the shared body of the request-decoder fuzz targets: for
// arbitrary bodies, decoding and validating each DTO returned by dtos must
// never panic, and must either succeed or return an API error with a 4xx
// status.
func fuzzRequests(f *testing.F, dtos func() []wire.Request, seeds ...string) {
	for _, s := range append(seeds, `{}`, ``, strings.Repeat("[", 100), `{"key_id":null}`) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, strict := range []bool{false, true} {
			for _, v := range dtos() {
				err := decode(body, v, strict)
				if err == nil {
					err = v.Validate()
				}
				if err == nil {
					continue
				}
				var e *kmserr.Error
				if !errors.As(err, &e) || e.Status < 400 || e.Status >= 500 {
					t.Fatalf("%T (strict %v): %v is not a 4xx API error", v, strict, err)
				}
			}
		}
	})
}
