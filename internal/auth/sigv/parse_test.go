package sigv

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func TestParseValid(t *testing.T) {
	sig := "2a790eaedc282ef7cf304af44d038cee79aeecf23684dd91069179e23ad1b0dd"
	tests := []struct {
		name   string
		header string
		want   Authorization
	}{
		{"hmac sha256 as the SDK writes it",
			"SDK-HMAC-SHA256 Access=AK1, SignedHeaders=user-agent;x-sdk-date, Signature=" + sig,
			Authorization{AlgHMACSHA256, "AK1", "", []string{"user-agent", "x-sdk-date"}, sig}},
		{"hmac sm3 without spaces after commas",
			"SDK-HMAC-SM3 Access=AK1,SignedHeaders=x-sdk-date,Signature=" + sig,
			Authorization{AlgHMACSM3, "AK1", "", []string{"x-sdk-date"}, sig}},
		{"ecdsa with fields in another order and extra blanks",
			"  SDK-ECDSA-P256-SHA256  Signature=3045ab ,  Access=AK1 , SignedHeaders=x-sdk-date  ",
			Authorization{AlgECDSAP256SHA256, "AK1", "", []string{"x-sdk-date"}, "3045ab"}},
		{"sm2 with upper-case hex signature is normalised",
			"SDK-SM2-SM3 Access=AK1, SignedHeaders=x-sdk-date, Signature=3045AB",
			Authorization{AlgSM2SM3, "AK1", "", []string{"x-sdk-date"}, "3045ab"}},
		{"v11 credential with scope",
			"V11-HMAC-SHA256 Credential=AK1/20240102/local-1/kms, SignedHeaders=host;x-sdk-date, Signature=" + sig,
			Authorization{AlgV11HMACSHA256, "AK1", "20240102/local-1/kms", []string{"host", "x-sdk-date"}, sig}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.header)
			wantErr(t, err, nil)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Parse = %+v, want %+v", got, tt.want)
			}
			again, err := Parse(got.String())
			wantErr(t, err, nil)
			if !reflect.DeepEqual(again, got) {
				t.Fatalf("String round trip = %+v, want %+v", again, got)
			}
		})
	}
}

func TestParseMalformed(t *testing.T) {
	const ok = ", SignedHeaders=x-sdk-date, Signature=abcd"
	tests := []struct{ name, header string }{
		{"empty", ""},
		{"algorithm only", "SDK-HMAC-SHA256"},
		{"bearer token", "Bearer abc.def"},
		{"unknown algorithm", "SDK-HMAC-MD5 Access=AK" + ok},
		{"lower-case algorithm", "sdk-hmac-sha256 Access=AK" + ok},
		{"missing access", "SDK-HMAC-SHA256 SignedHeaders=x-sdk-date, Signature=abcd"},
		{"missing signed headers", "SDK-HMAC-SHA256 Access=AK, Signature=abcd"},
		{"missing signature", "SDK-HMAC-SHA256 Access=AK, SignedHeaders=x-sdk-date"},
		{"duplicate field", "SDK-HMAC-SHA256 Access=AK, Access=AK" + ok},
		{"unknown field", "SDK-HMAC-SHA256 Access=AK, Date=x" + ok},
		{"lower-case field name", "SDK-HMAC-SHA256 access=AK" + ok},
		{"empty field value", "SDK-HMAC-SHA256 Access=" + ok},
		{"field without equals", "SDK-HMAC-SHA256 Access" + ok},
		{"trailing comma", "SDK-HMAC-SHA256 Access=AK" + ok + ","},
		{"access with space", "SDK-HMAC-SHA256 Access=A K" + ok},
		{"credential on hmac", "SDK-HMAC-SHA256 Credential=AK/20240102/r/s" + ok},
		{"access on v11", "V11-HMAC-SHA256 Access=AK" + ok},
		{"v11 credential without scope", "V11-HMAC-SHA256 Credential=AK" + ok},
		{"v11 scope with two parts", "V11-HMAC-SHA256 Credential=AK/20240102/r" + ok},
		{"v11 scope with four parts", "V11-HMAC-SHA256 Credential=AK/20240102/r/s/x" + ok},
		{"v11 scope bad date", "V11-HMAC-SHA256 Credential=AK/2024-01-02/r/s" + ok},
		{"v11 scope empty region", "V11-HMAC-SHA256 Credential=AK/20240102//s" + ok},
		{"empty signed header element", "SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;;b, Signature=abcd"},
		{"signed header with space", "SDK-HMAC-SHA256 Access=AK, SignedHeaders=a; b, Signature=abcd"},
		{"signed header with colon", "SDK-HMAC-SHA256 Access=AK, SignedHeaders=a:b, Signature=abcd"},
		{"too many signed headers", "SDK-HMAC-SHA256 Access=AK, SignedHeaders=" + strings.Repeat("a;", 64) + "a, Signature=abcd"},
		{"signature not hex", "SDK-HMAC-SHA256 Access=AK, SignedHeaders=x-sdk-date, Signature=xyz0"},
		{"signature odd length", "SDK-HMAC-SHA256 Access=AK, SignedHeaders=x-sdk-date, Signature=abc"},
		{"signature too long", "SDK-HMAC-SHA256 Access=AK, SignedHeaders=x-sdk-date, Signature=" + strings.Repeat("ab", 300)},
		{"header too long", "SDK-HMAC-SHA256 Access=AK" + ok + strings.Repeat(" ", maxHeaderLen)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Parse(tt.header)
			wantErr(t, err, ErrMalformed)
			if !reflect.DeepEqual(a, Authorization{}) {
				t.Fatalf("Parse returned %+v with its error", a)
			}
			if !strings.HasPrefix(err.Error(), "sigv: ") {
				t.Fatalf("error %q lacks the sigv prefix", err)
			}
		})
	}
}

func TestIsSigned(t *testing.T) {
	tests := []struct {
		name   string
		header string
		want   bool
	}{
		{"hmac sha256", "SDK-HMAC-SHA256 Access=AK, SignedHeaders=x, Signature=ab", true},
		{"hmac sm3", "SDK-HMAC-SM3 Access=AK", true},
		{"ecdsa", "SDK-ECDSA-P256-SHA256 Access=AK", true},
		{"sm2", "SDK-SM2-SM3 Access=AK", true},
		{"v11", "V11-HMAC-SHA256 Credential=AK/20240102/r/s", true},
		{"no header", "", false},
		{"algorithm without space", "SDK-HMAC-SHA256", false},
		{"longer algorithm name", "SDK-HMAC-SHA256X Access=AK", false},
		{"bearer", "Bearer token", false},
		{"aws", "AWS4-HMAC-SHA256 Credential=x", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := http.NewRequest("GET", "http://h/", nil)
			if tt.header != "" {
				r.Header.Set("Authorization", tt.header)
			}
			if got := IsSigned(r); got != tt.want {
				t.Fatalf("IsSigned = %v, want %v", got, tt.want)
			}
		})
	}
	if IsSigned(nil) {
		t.Fatal("IsSigned(nil) = true")
	}
}
