package sigv

import (
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
)

// The attack of issue 8: a request signed by the SDK is captured (from a
// plain-HTTP hop, a logging proxy, an APM tool) and re-sent inside the
// skew window with another body, optionally with a content hash header
// added after signing that names the hash of the original body.

const otherBody = `{"key_id":"ffffffff-e727-4d9c-b35d-f84bb474a37f","datakey_length":"512"}` + "\n"

// contentHeaders are both content hash headers, so that every algorithm is
// also tried with the header of the other hash family.
var contentHeaders = []string{HeaderContentSha256, HeaderContentSm3}

func TestCapturedSDKRequestWithAnotherBodyIsRefused(t *testing.T) {
	c := sdkCases()[0] // create-datakey with a JSON body
	for name := range sdkAlgorithms {
		alg, _ := lookupAlgorithm(name)
		req := c.build("https://kms.local-1.example.com")
		sdkSign(t, req, name)
		captured, body := convert(t, req)
		a := mustParse(t, captured.Header.Get(HeaderAuthorization))
		t.Run(name+"/as captured", func(t *testing.T) {
			wantErr(t, Verify(captured, body, a, testSK, c.verifyNow()), nil)
		})
		t.Run(name+"/another body", func(t *testing.T) {
			wantErr(t, Verify(captured, []byte(otherBody), a, testSK, c.verifyNow()), ErrSignature)
		})
		for _, h := range contentHeaders {
			for label, value := range map[string]string{
				"hash of the signed body": hex.EncodeToString(alg.digest(body)),
				"UNSIGNED-PAYLOAD":        UnsignedPayload,
			} {
				t.Run(name+"/another body with unsigned "+h+" = "+label, func(t *testing.T) {
					r := captured.Clone(captured.Context())
					r.Header.Set(h, value)
					wantErr(t, Verify(r, []byte(otherBody), a, testSK, c.verifyNow()), ErrSignature)
				})
			}
		}
	}
}

// A client may sign the content hash header itself. Then the header must
// name the body that arrives.
func TestSignedContentHashMustMatchTheBody(t *testing.T) {
	for name := range sdkAlgorithms {
		alg, _ := lookupAlgorithm(name)
		sum := hex.EncodeToString(alg.digest([]byte(testBody)))
		cases := []struct {
			label, header, body string
			want                error
		}{
			{"lower-case hash, same body", sum, testBody, nil},
			{"upper-case hash, same body", strings.ToUpper(sum), testBody, nil},
			{"hash of the signed body, another body", sum, otherBody, ErrSignature},
			{"UNSIGNED-PAYLOAD with a body", UnsignedPayload, testBody, ErrMalformed},
			{"UNSIGNED-PAYLOAD without a body", UnsignedPayload, "", nil},
		}
		for _, tc := range cases {
			t.Run(name+"/"+tc.label, func(t *testing.T) {
				r := serverRequest("POST", testPath, [][2]string{
					{"Content-Type", "application/json"}, {alg.contentHeader, tc.header}}, nil)
				signed := []byte(testBody)
				if tc.header == UnsignedPayload {
					signed = nil // the signer ignores the body then
				}
				ourSign(t, r, signed, name, testTime)
				a := mustParse(t, r.Header.Get(HeaderAuthorization))
				if !strings.Contains(strings.Join(a.SignedHeaders, ";"), strings.ToLower(alg.contentHeader)) {
					t.Fatalf("%s not signed: %v", alg.contentHeader, a.SignedHeaders)
				}
				wantErr(t, Verify(r, []byte(tc.body), a, testSK, testTime), tc.want)
			})
		}
	}
}

// Two signed copies of the content hash header are ambiguous: refused.
func TestDuplicateSignedContentHashIsRefused(t *testing.T) {
	alg, _ := lookupAlgorithm(AlgHMACSHA256)
	sum := hex.EncodeToString(alg.digest([]byte(testBody)))
	r := serverRequest("POST", testPath, [][2]string{{HeaderContentSha256, sum}}, nil)
	ourSign(t, r, []byte(testBody), AlgHMACSHA256, testTime)
	a := mustParse(t, r.Header.Get(HeaderAuthorization))
	r.Header = r.Header.Clone()
	r.Header[http.CanonicalHeaderKey(HeaderContentSha256)] = []string{sum, sum}
	wantErr(t, Verify(r, []byte(testBody), a, testSK, testTime), ErrMalformed)
}
