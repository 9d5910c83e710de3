package api

import (
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/kmsd/kmsd/internal/op"
	"github.com/kmsd/kmsd/internal/wire"
)

// RequestTypes names the type each route decodes, and the path and query
// tags of URL requests say what FromURL reads: every path parameter of the
// operation's route has a tagged field, and FromURL fills each tagged
// field from its parameter. Clients built from these types (internal/kmscli)
// then send exactly what the server reads.
func TestRequestTypesMatchTheRoutes(t *testing.T) {
	types := RequestTypes()
	pathParam := regexp.MustCompile(`\{([a-z_]+)\}`)
	for _, o := range op.All() {
		rt, ok := types[o.Name]
		if !ok {
			t.Errorf("%s has no entry", o.Name)
			continue
		}
		if rt == nil {
			continue
		}
		want := map[string]bool{}
		for _, m := range pathParam.FindAllStringSubmatch(o.Path, -1) {
			if m[1] != "project_id" {
				want[m[1]] = true
			}
		}
		req := reflect.New(rt)
		u, isURL := req.Interface().(wire.URLRequest)
		if !isURL {
			if len(want) > 0 {
				t.Errorf("%s: route %s has path parameters but %s reads no URL", o.Name, o.Path, rt)
			}
			continue
		}
		fields := urlFields(rt, nil)
		hr := httptest.NewRequest(o.Method, "/", nil)
		q := url.Values{}
		for _, f := range fields {
			if f.in == "path" {
				delete(want, f.name)
				hr.SetPathValue(f.name, f.value)
			} else {
				q.Set(f.name, f.value)
			}
		}
		for p := range want {
			t.Errorf("%s: path parameter {%s} has no path-tagged field in %s", o.Name, p, rt)
		}
		hr.URL.RawQuery = q.Encode()
		_ = u.FromURL(hr) // the values need not be valid: FromURL reads before it checks
		for _, f := range fields {
			if got := req.Elem().FieldByIndex(f.index).String(); got != f.value {
				t.Errorf("%s: %s parameter %s: FromURL set %s.%s to %q, want %q", o.Name, f.in, f.name, rt, strings.Join(f.path, "."), got, f.value)
			}
		}
	}
}

type urlField struct {
	in, name, value string
	index           []int
	path            []string
}

// urlFields lists the path- and query-tagged fields of t, embedded ones
// included, each with a sample value (a valid key id for key_id).
func urlFields(t reflect.Type, index []int) []urlField {
	var out []urlField
	for i := range t.NumField() {
		sf := t.Field(i)
		idx := append(append([]int(nil), index...), i)
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct {
			out = append(out, urlFields(sf.Type, idx)...)
			continue
		}
		for _, in := range []string{"path", "query"} {
			if name, ok := sf.Tag.Lookup(in); ok {
				v := "7"
				if name == "key_id" {
					v = "0d0466b0-e727-4d9c-b35d-f84bb474a37f"
				}
				out = append(out, urlField{in, name, v, idx, []string{sf.Name}})
			}
		}
	}
	return out
}
