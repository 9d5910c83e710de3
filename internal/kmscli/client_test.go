package kmscli

import (
	"bytes"
	"strings"
	"testing"
)

func envOf(vars map[string]string) Env {
	var environ []string
	for k, v := range vars {
		environ = append(environ, k+"="+v)
	}
	return Env{Lookup: func(k string) (string, bool) { v, ok := vars[k]; return v, ok },
		Environ: func() []string { return environ }}
}

// The endpoint: --endpoint, else the region's variable, else the only
// region variable set; several without --region, or none, are errors.
func TestEndpoint(t *testing.T) {
	one := envOf(map[string]string{"HUAWEICLOUD_SDK_REGION_KMS_LOCAL_1": "http://a:1"})
	two := envOf(map[string]string{"HUAWEICLOUD_SDK_REGION_KMS_LOCAL_1": "http://a:1", "HUAWEICLOUD_SDK_REGION_KMS_EU_WEST_2": "http://b:2/"})
	for name, tc := range map[string]struct {
		c    connection
		env  Env
		want string // endpoint, or "error: …" text
	}{
		"only one":       {connection{}, one, "http://a:1"},
		"flag wins":      {connection{endpoint: "https://c"}, one, "https://c"},
		"region":         {connection{region: "eu-west-2"}, two, "http://b:2"},
		"several":        {connection{}, two, "error: several endpoints"},
		"none":           {connection{}, envOf(nil), "error: no endpoint"},
		"unknown region": {connection{region: "x-1"}, one, "error: HUAWEICLOUD_SDK_REGION_KMS_X_1"},
		"not a URL":      {connection{endpoint: "localhost:8080"}, one, "error: not an http(s) URL"},
	} {
		cl, err := tc.c.client(tc.env)
		switch {
		case strings.HasPrefix(tc.want, "error: "):
			if err == nil || !strings.Contains(err.Error(), strings.TrimPrefix(tc.want, "error: ")) {
				t.Errorf("%s: error %v, want %q", name, err, tc.want)
			}
		case err != nil || cl.Endpoint != tc.want:
			t.Errorf("%s: %v, %v; want %s", name, cl, err, tc.want)
		}
	}
}

// --output text prints strings bare and lists of strings one per line;
// json is compact, pretty indented.
func TestWriteJSON(t *testing.T) {
	for _, tc := range []struct{ doc, mode, want string }{
		{`"a b"`, "text", "a b\n"},
		{`["x","y"]`, "text", "x\ny\n"},
		{`{"a": 1}`, "text", `{"a":1}` + "\n"},
		{`{"a": [1, 2]}`, "json", `{"a":[1,2]}` + "\n"},
		{`{"a":1}`, "pretty", "{\n  \"a\": 1\n}\n"},
	} {
		var b bytes.Buffer
		if err := writeJSON(&b, []byte(tc.doc), tc.mode); err != nil || b.String() != tc.want {
			t.Errorf("%s %s: %q, %v; want %q", tc.mode, tc.doc, b.String(), err, tc.want)
		}
	}
}
