package sigv

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// Common inputs of the spec's test vectors (§1.7).
const (
	testAK      = "EXAMPLEAK0123456789AB"
	testSK      = "ExampleSecretKey0123456789abcdefghijklmn"
	testProject = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
	testDate    = "20240102T030405Z"
	testUA      = "huaweicloud-usdk-go/3.0; signprobe"
	testBody    = `{"key_id":"0d0466b0-e727-4d9c-b35d-f84bb474a37f","datakey_length":"512"}` + "\n"
	testPath    = "/v1.0/" + testProject + "/kms/create-datakey"
)

// testTime is X-Sdk-Date of the vectors as a time.
var testTime = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

// material is everything Verify looks at; mutations edit it.
type material struct {
	r    *http.Request
	body []byte
	a    Authorization
	sk   string
	now  time.Time
}

// verify runs Verify on m.
func (m *material) verify() error {
	return Verify(m.r, m.body, m.a, m.sk, m.now)
}

// serverRequest builds a request the way a Go server sees it: Host in r.Host,
// canonical header keys, decoded path and raw query in r.URL.
func serverRequest(method, target string, headers [][2]string, body []byte) *http.Request {
	r := httptest.NewRequest(method, target, bytes.NewReader(body))
	r.Host = "127.0.0.1:8080"
	for _, h := range headers {
		r.Header.Add(h[0], h[1])
	}
	return r
}

// mustParse parses an Authorization value or fails the test.
func mustParse(t testing.TB, header string) Authorization {
	t.Helper()
	a, err := Parse(header)
	if err != nil {
		t.Fatalf("Parse(%q): %v", header, err)
	}
	return a
}

// wantErr fails unless err wraps want (nil means success expected).
func wantErr(t testing.TB, err, want error) {
	t.Helper()
	switch {
	case want == nil && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case want != nil && !errors.Is(err, want):
		t.Fatalf("got error %v, want %v", err, want)
	}
	if err != nil {
		exclusive := 0
		for _, e := range []error{ErrMalformed, ErrSkew, ErrSignature} {
			if errors.Is(err, e) {
				exclusive++
			}
		}
		if exclusive != 1 {
			t.Fatalf("error %v wraps %d sentinel errors, want exactly 1", err, exclusive)
		}
	}
}

// flipHex changes the last hex digit of s.
func flipHex(s string) string {
	if s == "" {
		return "0"
	}
	last := s[len(s)-1]
	repl := byte('0')
	if last == '0' {
		repl = '1'
	}
	return s[:len(s)-1] + string(repl)
}

// flipLastByte returns s with its last byte changed (or "x" if empty).
func flipLastByte(s string) string {
	if s == "" {
		return "x"
	}
	return s[:len(s)-1] + string(s[len(s)-1]^1)
}
