package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/auth/sigv"
)

var testCred = Credential{AK: "KMSDBENCHAK012345678", SK: "BenchSecretKey0123456789abcdefghijklmnop", Project: "0a1b2c3d4e5f60718293a4b5c6d7e8f9"}

func TestNewRequestHasSDKShape(t *testing.T) {
	body, err := encodeBody(map[string]string{"key_id": "k", "plain_text": "<&>"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	r, err := newRequest(context.Background(), "http://127.0.0.1:1", testCred, OpEncryptData, body, now)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"Content-Type": "application/json;charset=UTF-8",
		"User-Agent":   "huaweicloud-usdk-go/3.0",
		"X-Project-Id": testCred.Project,
		"X-Sdk-Date":   "20260102T030405Z",
	}
	for k, v := range want {
		if got := r.Header.Get(k); got != v {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
	if !strings.HasPrefix(r.Header.Get("Authorization"), "SDK-HMAC-SHA256 Access="+testCred.AK+", SignedHeaders=user-agent;x-project-id;x-sdk-date, Signature=") {
		t.Errorf("Authorization = %q", r.Header.Get("Authorization"))
	}
	if r.Method != "POST" || r.URL.Path != "/v1.0/"+testCred.Project+"/kms/encrypt-data" {
		t.Errorf("request line %s %s", r.Method, r.URL.Path)
	}
	if !bytes.HasSuffix(body, []byte("}\n")) || !bytes.Contains(body, []byte(`"<&>"`)) {
		t.Errorf("body %q is not the SDK's encoding (trailing newline, no HTML escaping)", body)
	}
	sent, _ := io.ReadAll(r.Body)
	if !bytes.Equal(sent, body) || r.ContentLength != int64(len(body)) {
		t.Errorf("request body %q (length %d), want %q", sent, r.ContentLength, body)
	}
}

func TestBuiltRequestVerifies(t *testing.T) {
	tests := []struct {
		name    string
		mutate  func(*Credential, *[]byte)
		wantErr error
	}{
		{name: "as built", mutate: func(*Credential, *[]byte) {}},
		{name: "other secret key", mutate: func(c *Credential, _ *[]byte) { c.SK += "x" }, wantErr: sigv.ErrSignature},
		{name: "body changed after signing", mutate: func(_ *Credential, b *[]byte) { *b = append(*b, ' ') }, wantErr: sigv.ErrSignature},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body, _ := encodeBody(map[string]string{"key_id": "k"})
			now := time.Now()
			r, err := newRequest(context.Background(), "http://127.0.0.1:1", testCred, OpDescribeKey, body, now)
			if err != nil {
				t.Fatal(err)
			}
			r.Host = r.URL.Host // as the server sees it
			a, err := sigv.Parse(r.Header.Get("Authorization"))
			if err != nil {
				t.Fatal(err)
			}
			cred := testCred
			tc.mutate(&cred, &body)
			err = sigv.Verify(r, body, a, cred.SK, now)
			if (err == nil) != (tc.wantErr == nil) || (tc.wantErr != nil && !errors.Is(err, tc.wantErr)) {
				t.Fatalf("Verify = %v, want %v", err, tc.wantErr)
			}
		})
	}
}

func TestFixedBodies(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want map[string]string // expected fields; "*" = any non-empty value
	}{
		{name: "encrypt-data", cfg: Config{Op: OpEncryptData, Size: 600},
			want: map[string]string{"key_id": "K", "plain_text": "*"}},
		{name: "create-datakey in bits", cfg: Config{Op: OpCreateDatakey, Size: 32},
			want: map[string]string{"key_id": "K", "datakey_length": "256"}},
		{name: "sign EC_P256", cfg: Config{Op: OpSign, KeySpec: "EC_P256"},
			want: map[string]string{"key_id": "K", "message": "*", "signing_algorithm": "ECDSA_SHA_256", "message_type": "DIGEST"}},
		{name: "sign RSA_2048", cfg: Config{Op: OpSign, KeySpec: "RSA_2048"},
			want: map[string]string{"key_id": "K", "message": "*", "signing_algorithm": "RSASSA_PSS_SHA_256", "message_type": "DIGEST"}},
		{name: "describe-key", cfg: Config{Op: OpDescribeKey}, want: map[string]string{"key_id": "K"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := fixedBody(context.Background(), nil, &tc.cfg, "K")
			if err != nil {
				t.Fatal(err)
			}
			var got map[string]string
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatalf("body %q: %v", b, err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("body fields %v, want %v", got, tc.want)
			}
			for k, v := range tc.want {
				if got[k] == "" || (v != "*" && got[k] != v) {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
			if tc.cfg.Op == OpEncryptData && len(got["plain_text"]) != tc.cfg.Size {
				t.Errorf("plain_text has %d bytes, want %d", len(got["plain_text"]), tc.cfg.Size)
			}
		})
	}
}

func TestPayloadLengths(t *testing.T) {
	for _, n := range []int{1, 2, 3, 4, 511, 512, 4095, 4096} {
		if p := payload(n); len(p) != n {
			t.Errorf("payload(%d) has %d bytes", n, len(p))
		}
	}
}
