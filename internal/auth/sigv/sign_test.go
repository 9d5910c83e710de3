package sigv

import (
	"bytes"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

var allAlgorithms = []string{AlgHMACSHA256, AlgHMACSM3, AlgECDSAP256SHA256, AlgSM2SM3, AlgV11HMACSHA256}

// clientRequest builds a client-side request like kmsbench would.
func clientRequest(t testing.TB, method, rawURL string, headers map[string]string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(method, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		r.Header.Set(k, v)
	}
	return r
}

func TestSignThenVerifyAllAlgorithms(t *testing.T) {
	now := time.Now()
	reqs := []struct {
		name, method, url string
		body              string
	}{
		{"json post", "POST", "http://127.0.0.1:8080/v1.0/p/kms/encrypt-data", `{"key_id":"k","plain_text":"x"}`},
		{"get with query", "GET", "http://127.0.0.1:8080/v1.0/p/kms/aliases?limit=10&marker&a=%2B+b", ""},
		{"unicode path", "GET", "http://127.0.0.1/v1.0/p/kms/%E5%AF%86%E9%92%A5/x%20y", ""},
		{"root path", "GET", "http://127.0.0.1", ""},
	}
	for _, alg := range allAlgorithms {
		for _, rq := range reqs {
			t.Run(alg+"/"+rq.name, func(t *testing.T) {
				r := clientRequest(t, rq.method, rq.url, map[string]string{
					"Content-Type": "application/json", "User-Agent": "kmsbench", "X-Project-Id": "p"})
				ourSign(t, r, []byte(rq.body), alg, now)
				a := mustParse(t, r.Header.Get(HeaderAuthorization))
				wantErr(t, Verify(r, []byte(rq.body), a, testSK, now), nil)
				wantErr(t, Verify(r, []byte(rq.body+"!"), a, testSK, now), ErrSignature)
			})
		}
	}
}

func TestSignOverTheWire(t *testing.T) {
	srv, ch := wireServer(t)
	for _, alg := range allAlgorithms {
		t.Run(alg, func(t *testing.T) {
			body := []byte(`{"key_id":"k"}`)
			r, err := http.NewRequest("POST", srv.URL+"/v1.0/p/kms/%E5%AF%86/x?marker&limit=2", bytes.NewReader(body))
			wantErr(t, err, nil)
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("X-Project-Id", "p")
			ourSign(t, r, body, alg, time.Now())
			wantErr(t, sendAndVerify(t, r, ch, time.Now(), nil), nil)
		})
	}
}

func TestSignHeaderHandling(t *testing.T) {
	r := clientRequest(t, "GET", "http://h/x", map[string]string{
		"Content-Type": "text/plain", "Content-Type-Extra": "1", "X_Under": "1",
		"Authorization": "stale", "X-Sdk-Date": "garbage", "X-B": "b", "X-A": "a"})
	now := time.Date(2025, 5, 6, 7, 8, 9, 0, time.FixedZone("x", 3600))
	wantErr(t, Sign(r, nil, testAK, testSK, now), nil)
	a := mustParse(t, r.Header.Get(HeaderAuthorization))
	want := "x-a;x-b;x-sdk-content-sha256;x-sdk-date"
	if got := strings.Join(a.SignedHeaders, ";"); got != want {
		t.Fatalf("signed headers %q, want %q", got, want)
	}
	if got := r.Header.Get(HeaderDate); got != "20250506T060809Z" {
		t.Fatalf("X-Sdk-Date = %q, want the UTC time of now", got)
	}
	if got := r.Header.Get(HeaderContentSha256); got != UnsignedPayload {
		t.Fatalf("X-Sdk-Content-Sha256 = %q for a text/plain body", got)
	}
	if n := len(r.Header.Values(HeaderAuthorization)); n != 1 {
		t.Fatalf("%d Authorization headers after signing", n)
	}
	// The signer uses the UNSIGNED-PAYLOAD marker as the SDK does, but a
	// verifier accepts it only when there is no body to cover.
	wantErr(t, Verify(r, nil, a, testSK, now), nil)
	wantErr(t, Verify(r, []byte("anything"), a, testSK, now), ErrMalformed)
}

func TestSignMarkersPerAlgorithm(t *testing.T) {
	tests := []struct {
		alg, contentType, header string
		want                     string
	}{
		{AlgHMACSHA256, "application/json;charset=UTF-8", HeaderContentSha256, ""},
		{AlgHMACSHA256, "application/bson", HeaderContentSha256, ""},
		{AlgHMACSHA256, "application/octet-stream", HeaderContentSha256, UnsignedPayload},
		{AlgHMACSM3, "multipart/form-data", HeaderContentSm3, UnsignedPayload},
		{AlgSM2SM3, "text/plain", HeaderContentSm3, UnsignedPayload},
		{AlgV11HMACSHA256, "text/plain", HeaderContentSha256, UnsignedPayload},
		{AlgHMACSHA256, "", HeaderContentSha256, ""},
	}
	for _, tt := range tests {
		t.Run(tt.alg+"/"+tt.contentType, func(t *testing.T) {
			h := map[string]string{}
			if tt.contentType != "" {
				h["Content-Type"] = tt.contentType
			}
			r := clientRequest(t, "PUT", "http://h/x", h)
			ourSign(t, r, []byte("b"), tt.alg, testTime)
			if got := r.Header.Get(tt.header); got != tt.want {
				t.Fatalf("%s = %q, want %q", tt.header, got, tt.want)
			}
		})
	}
}

func TestSignKeepsValidDateAndIsDeterministic(t *testing.T) {
	r := clientRequest(t, "GET", "http://h/x", map[string]string{HeaderDate: testDate})
	wantErr(t, Sign(r, nil, testAK, testSK, time.Now()), nil)
	first := r.Header.Get(HeaderAuthorization)
	wantErr(t, Sign(r, nil, testAK, testSK, time.Now().Add(time.Hour)), nil)
	if r.Header.Get(HeaderDate) != testDate || r.Header.Get(HeaderAuthorization) != first {
		t.Fatalf("re-signing changed the request: %v", r.Header)
	}
}

func TestSignErrors(t *testing.T) {
	ok := func() *http.Request { return clientRequest(t, "GET", "http://h/x", nil) }
	tests := map[string]func() error{
		"nil request":           func() error { return Sign(nil, nil, testAK, testSK, testTime) },
		"request without URL":   func() error { return Sign(&http.Request{}, nil, testAK, testSK, testTime) },
		"empty access key":      func() error { return Sign(ok(), nil, "", testSK, testTime) },
		"access key with comma": func() error { return Sign(ok(), nil, "A,K", testSK, testTime) },
		"empty secret key":      func() error { return Sign(ok(), nil, testAK, "", testTime) },
		"SignWith V11":          func() error { return SignWith(ok(), nil, AlgV11HMACSHA256, testAK, testSK, testTime) },
		"SignWith unknown":      func() error { return SignWith(ok(), nil, "HmacSHA256", testAK, testSK, testTime) },
		"derived no region":     func() error { return SignDerived(ok(), nil, testAK, testSK, "", "kms", testTime) },
		"derived bad service":   func() error { return SignDerived(ok(), nil, testAK, testSK, "r", "a/b", testTime) },
		"bad query escape": func() error {
			r := ok()
			r.URL.RawQuery = "%zz"
			return Sign(r, nil, testAK, testSK, testTime)
		},
		"header name with space": func() error {
			r := ok()
			r.Header["X Bad"] = []string{"1"}
			return Sign(r, nil, testAK, testSK, testTime)
		},
	}
	for name, call := range tests {
		t.Run(name, func(t *testing.T) {
			err := call()
			if err == nil || !strings.HasPrefix(err.Error(), "sigv: ") {
				t.Fatalf("got %v, want a sigv error", err)
			}
		})
	}
}

func TestSignNilHeaderMap(t *testing.T) {
	r := clientRequest(t, "GET", "http://h/x", nil)
	r.Header = nil
	wantErr(t, Sign(r, nil, testAK, testSK, testTime), nil)
	wantErr(t, Verify(r, nil, mustParse(t, r.Header.Get(HeaderAuthorization)), testSK, testTime), nil)
}

func TestDerivedKeyCacheIsBoundedAndConcurrent(t *testing.T) {
	alg := algorithms[AlgECDSAP256SHA256]
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range maxCachedKeys/4 + 1 {
				if _, err := deriveKey(alg, "AK"+string(rune('a'+g))+strings.Repeat("x", i%7)+string(rune(i)), testSK); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	keyCache.Lock()
	n := len(keyCache.m)
	keyCache.Unlock()
	if n > maxCachedKeys {
		t.Fatalf("cache holds %d keys, limit %d", n, maxCachedKeys)
	}
	k1, _ := deriveKey(alg, testAK, testSK)
	k2, _ := deriveKey(alg, testAK, testSK)
	if k1 != k2 {
		t.Fatal("second derivation was not served from the cache")
	}
}
