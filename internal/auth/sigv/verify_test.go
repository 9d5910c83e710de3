package sigv

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestVerifySkewWindow(t *testing.T) {
	tests := []struct {
		name   string
		offset time.Duration // server clock minus X-Sdk-Date
		want   error
	}{
		{"same instant", 0, nil},
		{"server 14 minutes ahead", 14 * time.Minute, nil},
		{"server 14 minutes behind", -14 * time.Minute, nil},
		{"server exactly 15 minutes ahead", MaxSkew, nil},
		{"server exactly 15 minutes behind", -MaxSkew, nil},
		{"server 15 minutes 1 second ahead", MaxSkew + time.Second, ErrSkew},
		{"server 16 minutes ahead", 16 * time.Minute, ErrSkew},
		{"server 16 minutes behind", -16 * time.Minute, ErrSkew},
		{"server a century ahead", 100 * 365 * 24 * time.Hour, ErrSkew},
		{"server two centuries behind", -200 * 365 * 24 * time.Hour, ErrSkew},
	}
	for _, v := range specVectors() {
		for _, tt := range tests {
			t.Run(v.name+"/"+tt.name, func(t *testing.T) {
				m := v.material(t)
				m.now = testTime.Add(tt.offset)
				wantErr(t, m.verify(), tt.want)
			})
		}
	}
}

func TestVerifySkewExtremeClocks(t *testing.T) {
	tests := []struct {
		name string
		now  time.Time
	}{
		{"zero time", time.Time{}},
		{"year 1", time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"year 9999", time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)},
		{"unix zero", time.Unix(0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := specVectors()[0].material(t)
			m.now = tt.now
			wantErr(t, m.verify(), ErrSkew)
		})
	}
}

func TestVerifySkewBeatsBadSignature(t *testing.T) {
	m := specVectors()[0].material(t)
	m.a.Signature = flipHex(m.a.Signature)
	m.now = testTime.Add(time.Hour)
	wantErr(t, m.verify(), ErrSkew)
}

func TestVerifyMalformed(t *testing.T) {
	tests := map[string]func(m *material){
		"no X-Sdk-Date":            func(m *material) { m.r.Header.Del(HeaderDate) },
		"two X-Sdk-Date values":    func(m *material) { m.r.Header.Add(HeaderDate, testDate) },
		"ISO 8601 X-Sdk-Date":      func(m *material) { m.r.Header.Set(HeaderDate, "2024-01-02T03:04:05Z") },
		"X-Sdk-Date without Z":     func(m *material) { m.r.Header.Set(HeaderDate, "20240102T030405") },
		"X-Sdk-Date one-digit hr":  func(m *material) { m.r.Header.Set(HeaderDate, "20240102T30405Z") },
		"X-Sdk-Date out of range":  func(m *material) { m.r.Header.Set(HeaderDate, "20241302T030405Z") },
		"bad escape in query":      func(m *material) { m.r.URL.RawQuery = "a=%zz" },
		"unknown algorithm":        func(m *material) { m.a.Algorithm = "SDK-HMAC-MD5" },
		"zero authorization":       func(m *material) { m.a = Authorization{} },
		"upper-case signature":     func(m *material) { m.a.Signature = strings.ToUpper(m.a.Signature) },
		"non-hex signature":        func(m *material) { m.a.Signature = "zz" },
		"no signed headers":        func(m *material) { m.a.SignedHeaders = nil },
		"empty access key":         func(m *material) { m.a.AccessKey = "" },
		"scope on non-V11":         func(m *material) { m.a.Scope = "20240102/local-1/kms" },
		"nil request":              func(m *material) { m.r = nil },
		"request without URL":      func(m *material) { m.r.URL = nil },
		"signed header with space": func(m *material) { m.a.SignedHeaders = []string{"x sdk"} },
	}
	for name, mutate := range tests {
		t.Run(name, func(t *testing.T) {
			m := specVectors()[0].material(t)
			mutate(m)
			wantErr(t, m.verify(), ErrMalformed)
		})
	}
}

func TestVerifyV11ScopeDateMustMatch(t *testing.T) {
	tests := []struct {
		name  string
		scope string
		want  error
	}{
		{"scope date of X-Sdk-Date", "20240102/local-1/kms", nil},
		{"scope date one day earlier", "20240101/local-1/kms", ErrMalformed},
		{"scope without service", "20240102/local-1", ErrMalformed},
		{"other region", "20240102/local-2/kms", ErrSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := specVectors()[2].material(t)
			m.a.Scope = tt.scope
			wantErr(t, m.verify(), tt.want)
		})
	}
}

func TestVerifyEmptySecretKeyFails(t *testing.T) {
	for _, v := range specVectors() {
		t.Run(v.name, func(t *testing.T) {
			m := v.material(t)
			m.sk = ""
			wantErr(t, m.verify(), ErrSignature)
		})
	}
}

func TestVerifyHandBuiltRequest(t *testing.T) {
	// A request value that never went through net/http: no Host, nil header
	// map apart from the date, empty path.
	r := &http.Request{Method: "GET", URL: &url.URL{}, Header: http.Header{HeaderDate: {testDate}}}
	a := Authorization{Algorithm: AlgHMACSHA256, AccessKey: testAK,
		SignedHeaders: []string{"host", "x-sdk-date", "x-missing"}, Signature: "00"}
	cr, err := CanonicalRequest(r, nil, a)
	wantErr(t, err, nil)
	want := "GET\n/\n\nx-sdk-date:" + testDate + "\n\nhost;x-sdk-date;x-missing\n" +
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	if cr != want {
		t.Fatalf("canonical request %q, want %q", cr, want)
	}
	wantErr(t, Verify(r, nil, a, testSK, testTime), ErrSignature)
}

func TestCanonicalURI(t *testing.T) {
	tests := []struct{ name, path, want string }{
		{"empty path", "", "/"},
		{"root", "/", "/"},
		{"kms path gets trailing slash", "/v1.0/p/kms/encrypt-data", "/v1.0/p/kms/encrypt-data/"},
		{"trailing slash kept", "/a/b/", "/a/b/"},
		{"double slash kept", "/a//b", "/a//b/"},
		{"unreserved kept", "/A-Z_a.z~09", "/A-Z_a.z~09/"},
		{"space and reserved escaped", "/a b+c*d:e@f", "/a%20b%2Bc%2Ad%3Ae%40f/"},
		{"unicode escaped upper-case", "/é/密钥", "/%C3%A9/%E5%AF%86%E9%92%A5/"},
		{"percent escaped", "/100%", "/100%25/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := canonicalURI(tt.path); got != tt.want {
				t.Fatalf("canonicalURI(%q) = %q, want %q", tt.path, got, tt.want)
			}
		})
	}
}

func TestCanonicalQuery(t *testing.T) {
	tests := []struct{ name, raw, want string }{
		{"empty", "", ""},
		{"keys sorted", "b=2&a=1", "a=1&b=2"},
		{"repeated key values sorted", "m=3&m=1&m=2", "m=1&m=2&m=3"},
		{"plus means space", "q=a+b", "q=a%20b"},
		{"encoded plus", "q=a%2Bb", "q=a%2Bb"},
		{"semicolon kept", "a=1;b=2", "a=1%3Bb%3D2"},
		{"split once on equals", "a=b=c", "a=b%3Dc"},
		{"empty pieces skipped", "&a=1&&b&", "a=1&b="},
		{"empty key", "=v", "=v"},
		{"unicode", "name=%E5%AF%86", "name=%E5%AF%86"},
		{"lower-case escapes normalised", "x=%2f", "x=%2F"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := canonicalQuery(tt.raw)
			wantErr(t, err, nil)
			if got != tt.want {
				t.Fatalf("canonicalQuery(%q) = %q, want %q", tt.raw, got, tt.want)
			}
		})
	}
}

func TestCanonicalHeadersSortsAndTrimsValues(t *testing.T) {
	r := serverRequest("GET", "/", [][2]string{{"X-Multi", " b "}, {"X-Multi", "a"}, {"X-One", "\tv\t"}}, nil)
	got := canonicalHeaders(r, []string{"x-multi", "x-one"})
	if want := "x-multi:b\nx-multi:a\nx-one:v\n"; got != want {
		// " b " sorts before "a" (space < 'a') and is trimmed afterwards, as in the SDK.
		t.Fatalf("canonicalHeaders = %q, want %q", got, want)
	}
	if vals := r.Header.Values("X-Multi"); vals[0] != " b " {
		t.Fatalf("canonicalHeaders reordered the request's header values: %q", vals)
	}
}
