package sigv

import (
	"testing"
)

// BenchmarkCheck measures what a server pays to parse and verify one
// SDK-signed request (the spec vectors' create-datakey call), the part of
// every API call's cost that kmsd and the benchmark ceiling share:
//
//	go test ./internal/auth/sigv -run '^$' -bench Check -benchmem
func BenchmarkCheck(b *testing.B) {
	for _, alg := range []string{AlgHMACSHA256, AlgV11HMACSHA256} {
		b.Run(alg, func(b *testing.B) {
			body := []byte(testBody)
			r := serverRequest("POST", "http://127.0.0.1:8080"+testPath,
				[][2]string{{"Content-Type", "application/json;charset=UTF-8"}, {"X-Project-Id", testProject}}, body)
			sign := func() error { return SignWith(r, body, alg, testAK, testSK, testTime) }
			if alg == AlgV11HMACSHA256 {
				sign = func() error { return SignDerived(r, body, testAK, testSK, "local-1", "kms", testTime) }
			}
			if err := sign(); err != nil {
				b.Fatal(err)
			}
			header := r.Header.Get(HeaderAuthorization)
			b.ReportAllocs()
			for b.Loop() {
				a, err := Parse(header)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := Check(r, body, a, testSK, testTime); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
