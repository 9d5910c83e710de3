package sigv

import (
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"testing"
)

func FuzzParse(f *testing.F) {
	for _, v := range specVectors() {
		f.Add(v.auth)
	}
	f.Add("SDK-ECDSA-P256-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=3045")
	f.Add("SDK-SM2-SM3 Access=AK,SignedHeaders=x-sdk-date,Signature=00")
	f.Add("V11-HMAC-SHA256 Credential=AK/20240102/r/s, SignedHeaders=a, Signature=ABCD")
	f.Add("Bearer x")
	f.Fuzz(func(t *testing.T, header string) {
		a, err := Parse(header)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("Parse error %v does not wrap ErrMalformed", err)
			}
			return
		}
		again, err := Parse(a.String())
		if err != nil || !reflect.DeepEqual(again, a) {
			t.Fatalf("round trip of %q: %+v, %v; want %+v", header, again, err, a)
		}
	})
}

func FuzzVerify(f *testing.F) {
	for _, v := range specVectors() {
		u, _ := url.Parse(v.target)
		f.Add(v.method, u.Path, u.RawQuery, v.auth, "X-Project-Id", testProject, []byte(v.body), testDate, uint8(0))
	}
	f.Add("GET", "/密钥/a b", "a=%zz&b", "SDK-SM2-SM3 Access=AK, SignedHeaders=host, Signature=00", "x-sdk-date", "x", []byte{}, "", uint8(3))
	f.Add("", "", "", "", "Host", "", []byte(nil), "99991231T235959Z", uint8(4))
	f.Fuzz(func(t *testing.T, method, path, query, auth, hname, hval string, body []byte, date string, pick uint8) {
		r := fuzzRequest(method, path, query, hname, hval, date)
		if a, err := Parse(auth); err == nil {
			checkVerifyError(t, Verify(r, body, a, testSK, testTime))
		}
		for _, alg := range allAlgorithms {
			a := Authorization{Algorithm: alg, AccessKey: testAK, SignedHeaders: []string{"host", "x-sdk-date", "x-project-id"}, Signature: "3006020101020101"}
			if alg == AlgV11HMACSHA256 {
				a.Scope = "20240102/local-1/kms"
			}
			checkVerifyError(t, Verify(r, body, a, testSK, testTime))
		}
		checkSignVerify(t, r, body, allAlgorithms[int(pick)%len(allAlgorithms)])
	})
}

// fuzzRequest builds a request from fuzz input without going through
// net/http's parser, so any byte can reach Verify.
func fuzzRequest(method, path, query, hname, hval, date string) *http.Request {
	r := &http.Request{
		Method: method,
		URL:    &url.URL{Path: path, RawQuery: query},
		Host:   "127.0.0.1:8080",
		Header: http.Header{HeaderDate: {date}, "User-Agent": {"fuzz"}},
	}
	if hname != "" {
		r.Header[hname] = append(r.Header[hname], hval)
	}
	return r
}

// checkVerifyError requires nil or an error wrapping exactly one sentinel.
func checkVerifyError(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	n := 0
	for _, e := range []error{ErrMalformed, ErrSkew, ErrSignature} {
		if errors.Is(err, e) {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("Verify error %v wraps %d sentinels", err, n)
	}
}

// checkSignVerify signs r freshly (dropping any date) and requires that the
// result verifies.
func checkSignVerify(t *testing.T, r *http.Request, body []byte, alg string) {
	t.Helper()
	for k := range r.Header {
		if http.CanonicalHeaderKey(k) == HeaderDate {
			delete(r.Header, k)
		}
	}
	var err error
	if alg == AlgV11HMACSHA256 {
		err = SignDerived(r, body, testAK, testSK, "local-1", "kms", testTime)
	} else {
		err = SignWith(r, body, alg, testAK, testSK, testTime)
	}
	if err != nil {
		return // e.g. an invalid header name or query escape
	}
	a, err := Parse(r.Header.Get(HeaderAuthorization))
	if err != nil {
		t.Fatalf("Parse of our own signature: %v", err)
	}
	if err := Verify(r, body, a, testSK, testTime); err != nil {
		t.Fatalf("Verify of our own %s signature: %v", alg, err)
	}
}
