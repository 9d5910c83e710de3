package sigv

import (
	"bytes"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer"
	sdkalg "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer/algorithm"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"
)

// sdkCase describes a request built with the SDK's own request type.
type sdkCase struct {
	name    string
	method  string
	path    string
	query   map[string]any
	headers map[string]string
	body    any // nil, a string (sent raw) or a value (JSON-encoded by the SDK)
	noDate  bool
	refused error // what Verify answers the SDK's request (nil: accepted)
}

// sdkAlgorithms maps our algorithm names to the SDK's; V11 uses the
// derived signer.
var sdkAlgorithms = map[string]sdkalg.SigningAlgorithm{
	AlgHMACSHA256:      sdkalg.HmacSHA256,
	AlgHMACSM3:         sdkalg.HmacSM3,
	AlgECDSAP256SHA256: sdkalg.EcdsaP256SHA256,
	AlgSM2SM3:          sdkalg.SM2SM3,
	AlgV11HMACSHA256:   "",
}

func kmsSDKHeaders(extra ...string) map[string]string {
	h := map[string]string{"User-Agent": testUA, "X-Project-Id": testProject,
		"Content-Type": "application/json;charset=UTF-8"}
	for i := 0; i+1 < len(extra); i += 2 {
		h[extra[i]] = extra[i+1]
	}
	return h
}

func sdkCases() []sdkCase {
	base := "/v1.0/" + testProject + "/kms/"
	return []sdkCase{
		{name: "create datakey json body", method: "POST", path: base + "create-datakey", headers: kmsSDKHeaders(),
			body: map[string]string{"key_id": "0d0466b0-e727-4d9c-b35d-f84bb474a37f", "datakey_length": "512"}},
		{name: "list aliases with queries", method: "GET", path: base + "aliases", headers: kmsSDKHeaders(),
			query: map[string]any{"limit": 10, "marker": "a b/c+d*~", "key_id": "k=1&x", "empty": "", "multi": []string{"b", "a", "c"}}},
		{name: "unicode query values", method: "GET", path: base + "aliases", headers: kmsSDKHeaders(),
			query: map[string]any{"名前": "密钥 é", "q": "一 (&=?!#%.*)"}},
		{name: "empty body post", method: "POST", path: base + "disable-key", headers: kmsSDKHeaders()},
		{name: "delete without body or content type", method: "DELETE", path: base + "keys/x",
			headers: map[string]string{"User-Agent": testUA}},
		{name: "unicode path", method: "GET", path: "/v1.0/" + testProject + "/kms/密钥/clé é/a+b", headers: kmsSDKHeaders()},
		{name: "non-json content type is unsigned payload, refused", method: "PUT", path: base + "upload",
			headers: kmsSDKHeaders("Content-Type", "text/plain"), body: "raw text body", refused: ErrMalformed},
		{name: "non-json content type without a body", method: "GET", path: base + "keys",
			headers: kmsSDKHeaders("Content-Type", "text/plain")},
		{name: "temporary credentials", method: "POST", path: base + "encrypt-data", body: map[string]string{"plain_text": "x"},
			headers: kmsSDKHeaders("X-Security-Token", "example-security-token")},
		{name: "underscore header is sent but unsigned", method: "GET", path: base + "keys", headers: kmsSDKHeaders("X_Trace_Id", "t1")},
		{name: "header value with surrounding blanks", method: "GET", path: base + "keys", headers: kmsSDKHeaders("X-Note", "  padded  ")},
		{name: "date stamped by the SDK", method: "POST", path: base + "create-key", headers: kmsSDKHeaders(),
			body: map[string]string{"key_alias": "a"}, noDate: true},
	}
}

// build returns a fresh SDK request for c at endpoint.
func (c sdkCase) build(endpoint string) *request.DefaultHttpRequest {
	b := request.NewHttpRequestBuilder().WithMethod(c.method).WithEndpoint(endpoint).WithPath(c.path)
	if c.body != nil {
		b.WithBody("body", c.body)
	}
	for k, v := range c.query {
		b.AddQueryParam(k, reflect.ValueOf(v))
	}
	for k, v := range c.headers {
		b.AddHeaderParam(k, v)
	}
	if !c.noDate {
		b.AddHeaderParam(HeaderDate, testDate)
	}
	return b.Build()
}

// sdkSign signs req with the real SDK and adds the resulting headers, the
// way the SDK's credentials do.
func sdkSign(t testing.TB, req *request.DefaultHttpRequest, alg string) {
	t.Helper()
	var hdrs map[string]string
	var err error
	if alg == AlgV11HMACSHA256 {
		hdrs, err = signer.GetDerivedSigner().Sign(req, testAK, testSK, "kms", "local-1")
	} else {
		var s signer.IAKSKSigner
		if s, err = signer.GetSigner(sdkAlgorithms[alg]); err == nil {
			hdrs, err = s.Sign(req, testAK, testSK)
		}
	}
	if err != nil {
		t.Fatalf("SDK signer: %v", err)
	}
	for k, v := range hdrs {
		req.AddHeaderParam(k, v)
	}
}

// convert turns req into a client-side *http.Request and returns its body.
func convert(t testing.TB, req *request.DefaultHttpRequest) (*http.Request, []byte) {
	t.Helper()
	hr, err := req.ConvertRequest()
	if err != nil {
		t.Fatalf("ConvertRequest: %v", err)
	}
	var body []byte
	if hr.Body != nil {
		body, _ = io.ReadAll(hr.Body)
	}
	hr.Body = io.NopCloser(bytes.NewReader(body))
	return hr, body
}

// verifyNow is the server clock for a case.
func (c sdkCase) verifyNow() time.Time {
	if c.noDate {
		return time.Now()
	}
	return testTime.Add(2 * time.Minute)
}

func TestSDKSignedRequestsVerifyOverTheWire(t *testing.T) {
	srv, ch := wireServer(t)
	for alg := range sdkAlgorithms {
		for _, c := range sdkCases() {
			t.Run(alg+"/"+c.name, func(t *testing.T) {
				req := c.build(srv.URL)
				sdkSign(t, req, alg)
				hr, _ := convert(t, req)
				wantErr(t, sendAndVerify(t, hr, ch, c.verifyNow(), nil), c.refused)
			})
		}
	}
}

func TestSDKSignedRequestsVerifyInProcess(t *testing.T) {
	for alg := range sdkAlgorithms {
		for _, c := range sdkCases() {
			t.Run(alg+"/"+c.name, func(t *testing.T) {
				req := c.build("https://kms.local-1.example.com")
				sdkSign(t, req, alg)
				hr, body := convert(t, req)
				a := mustParse(t, hr.Header.Get(HeaderAuthorization))
				wantErr(t, Verify(hr, body, a, testSK, c.verifyNow()), c.refused)
			})
		}
	}
}

func TestSDKSignedRequestsRejectTampering(t *testing.T) {
	tampers := map[string]func(*received){
		"body":   func(g *received) { g.body = append(g.body, ' ') },
		"path":   func(g *received) { g.r.URL.Path += "x" },
		"query":  func(g *received) { g.r.URL.RawQuery += "&limit=1" },
		"method": func(g *received) { g.r.Method = "PATCH" },
		"agent":  func(g *received) { g.r.Header.Set("User-Agent", flipLastByte(g.r.Header.Get("User-Agent"))) },
		"date":   func(g *received) { g.r.Header.Set(HeaderDate, "20240102T030406Z") },
	}
	srv, ch := wireServer(t)
	c := sdkCases()[0]
	for alg := range sdkAlgorithms {
		for name, tamper := range tampers {
			t.Run(alg+"/"+name, func(t *testing.T) {
				req := c.build(srv.URL)
				sdkSign(t, req, alg)
				hr, _ := convert(t, req)
				wantErr(t, sendAndVerify(t, hr, ch, c.verifyNow(), tamper), ErrSignature)
			})
		}
	}
}

func TestSignMatchesSDK(t *testing.T) {
	for alg := range sdkAlgorithms {
		for _, c := range sdkCases() {
			if c.noDate {
				continue
			}
			t.Run(alg+"/"+c.name, func(t *testing.T) {
				sdkReq := c.build("https://kms.example.com")
				sdkSign(t, sdkReq, alg)
				sdkHR, _ := convert(t, sdkReq)
				want := sdkHR.Header.Get(HeaderAuthorization)

				ours, body := convert(t, c.build("https://kms.example.com"))
				ourSign(t, ours, body, alg, time.Now())
				got := ours.Header.Get(HeaderAuthorization)
				compareAuthorization(t, alg, got, want)
				if ours.Header.Get(HeaderDate) != testDate {
					t.Fatalf("Sign replaced the preset X-Sdk-Date: %q", ours.Header.Get(HeaderDate))
				}
				wantErr(t, Verify(ours, body, mustParse(t, got), testSK, testTime), c.refused)
			})
		}
	}
}

// ourSign signs r with this package's signer for alg.
func ourSign(t testing.TB, r *http.Request, body []byte, alg string, now time.Time) {
	t.Helper()
	var err error
	switch alg {
	case AlgV11HMACSHA256:
		err = SignDerived(r, body, testAK, testSK, "local-1", "kms", now)
	case AlgHMACSHA256:
		err = Sign(r, body, testAK, testSK, now)
	default:
		err = SignWith(r, body, alg, testAK, testSK, now)
	}
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
}

// compareAuthorization requires identical headers, except that randomised
// ECDSA/SM2 signatures are only compared up to "Signature=".
func compareAuthorization(t testing.TB, alg, got, want string) {
	t.Helper()
	if alg == AlgECDSAP256SHA256 || alg == AlgSM2SM3 {
		got, _, _ = strings.Cut(got, "Signature=")
		want, _, _ = strings.Cut(want, "Signature=")
	}
	if got != want {
		t.Fatalf("Authorization\n got %s\nwant %s", got, want)
	}
}
