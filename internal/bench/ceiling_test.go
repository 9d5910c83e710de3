package bench

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/keycrypto"
)

const ceilingKeyID = "0d0466b0-e727-4d9c-b35d-f84bb474a37f"

func startCeiling(t *testing.T) (*Ceiling, string) {
	t.Helper()
	c, err := NewCeiling(testCred.AK, testCred.SK)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(c)
	t.Cleanup(srv.Close)
	return c, srv.URL
}

func TestCeilingEncryptsLikeKmsd(t *testing.T) {
	c, url := startCeiling(t)
	cl := newClient(testCred, 1, 5*time.Second, new(atomic.Int64))
	defer cl.close()
	var out struct {
		KeyID      string `json:"key_id"`
		CipherText string `json:"cipher_text"`
	}
	err := cl.call(context.Background(), url, OpEncryptData, map[string]string{"key_id": ceilingKeyID, "plain_text": "hello"}, &out)
	if err != nil {
		t.Fatal(err)
	}
	ct, err := base64.StdEncoding.DecodeString(out.CipherText)
	if err != nil {
		t.Fatal(err)
	}
	pt, err := keycrypto.Open(domain.SpecAES256, c.material, ct, nil)
	if err != nil || string(pt) != "hello" || out.KeyID != ceilingKeyID {
		t.Fatalf("key %q plaintext %q, err %v", out.KeyID, pt, err)
	}
}

func TestCeilingDecryptsLikeKmsd(t *testing.T) {
	_, url := startCeiling(t)
	cl := newClient(testCred, 1, 5*time.Second, new(atomic.Int64))
	defer cl.close()
	var enc struct {
		CipherText string `json:"cipher_text"`
	}
	if err := cl.call(context.Background(), url, OpEncryptData, map[string]string{"key_id": ceilingKeyID, "plain_text": "hello"}, &enc); err != nil {
		t.Fatal(err)
	}
	var dec map[string]string
	if err := cl.call(context.Background(), url, OpDecryptData, map[string]string{"cipher_text": enc.CipherText}, &dec); err != nil {
		t.Fatal(err)
	}
	if dec["key_id"] != ceilingKeyID || dec["plain_text"] != "hello" || dec["plain_text_base64"] != base64.StdEncoding.EncodeToString([]byte("hello")) {
		t.Fatalf("decrypt answered %v", dec)
	}
}

func TestCeilingRejects(t *testing.T) {
	_, url := startCeiling(t)
	tests := []struct {
		name       string
		cred       Credential
		action     string
		body       string
		wantStatus int
		wantCode   string
	}{
		{name: "wrong secret key", cred: Credential{AK: testCred.AK, SK: "nope", Project: testCred.Project},
			action: OpEncryptData, body: `{"key_id":"` + ceilingKeyID + `","plain_text":"x"}`, wantStatus: 401, wantCode: "APIGW.0301"},
		{name: "other access key", cred: Credential{AK: "OTHERAK", SK: testCred.SK, Project: testCred.Project},
			action: OpEncryptData, body: `{}`, wantStatus: 401, wantCode: "APIGW.0301"},
		{name: "other action", cred: testCred, action: OpCreateDatakey, body: `{}`, wantStatus: 404, wantCode: "KMS.0201"},
		{name: "bad ciphertext", cred: testCred, action: OpDecryptData, body: `{"cipher_text":"AAAA"}`, wantStatus: 400, wantCode: "KMS.2201"},
		{name: "bad json", cred: testCred, action: OpEncryptData, body: `{"key_id":`, wantStatus: 400, wantCode: "KMS.0214"},
		{name: "bad key id", cred: testCred, action: OpEncryptData, body: `{"key_id":"k","plain_text":"x"}`, wantStatus: 400, wantCode: "KMS.0205"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cl := newClient(tc.cred, 1, 5*time.Second, new(atomic.Int64))
			defer cl.close()
			o := cl.post(context.Background(), url, tc.action, []byte(tc.body), false)
			if o.status != tc.wantStatus || o.code != tc.wantCode {
				t.Fatalf("got %s, want HTTP %d %s", o.describe(), tc.wantStatus, tc.wantCode)
			}
		})
	}
}

// TestRunAgainstCeiling runs the load loop briefly: every request succeeds,
// each worker keeps its one connection, and the report adds up.
func TestRunAgainstCeiling(t *testing.T) {
	_, url := startCeiling(t)
	cfg := validConfig()
	cfg.URLs, cfg.KeyID, cfg.Conns = []string{url}, ceilingKeyID, 3
	cfg.Warmup, cfg.Duration = 100*time.Millisecond, 300*time.Millisecond
	if err := cfg.Normalize(); err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Errors != 0 || res.OK == 0 || res.Requests != res.OK {
		t.Fatalf("result %s", res.Line())
	}
	if res.ConnsOpened > 6 { // see TestRunAgainstKmsd
		t.Errorf("opened %d connections for 3 workers and %d requests: keep-alive broken", res.ConnsOpened, res.Sent)
	}
	if res.P50Ms <= 0 || res.P99Ms < res.P50Ms || res.MaxMs < res.P99Ms {
		t.Errorf("inconsistent latencies: %s", res.Line())
	}
	var decoded Result
	if err := json.Unmarshal([]byte(res.JSON()), &decoded); err != nil || decoded.OK != res.OK {
		t.Errorf("JSON %s: %v", res.JSON(), err)
	}
}

func TestRunStopsAtMaxRequests(t *testing.T) {
	_, url := startCeiling(t)
	cfg := validConfig()
	cfg.URLs, cfg.KeyID, cfg.Conns = []string{url}, ceilingKeyID, 4
	cfg.Warmup, cfg.Duration, cfg.MaxRequests = 0, time.Hour, 50
	if err := cfg.Normalize(); err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 50 || res.Sent != 50 || !res.Capped || res.Errors != 0 {
		t.Fatalf("result %s", res.Line())
	}
}

func TestRunCountsErrors(t *testing.T) {
	_, url := startCeiling(t)
	cfg := validConfig()
	cfg.URLs, cfg.Op, cfg.KeyID, cfg.Conns = []string{url}, OpDescribeKey, ceilingKeyID, 2
	cfg.Warmup, cfg.Duration, cfg.MaxRequests = 0, time.Hour, 20
	if err := cfg.Normalize(); err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	e := res.ErrorKinds["HTTP 404 KMS.0201"]
	if res.OK != 0 || res.Errors != 20 || e == nil || e.Count != 20 {
		t.Fatalf("result %s", res.Line())
	}
}

// TestRunSpreadsWorkersOverURLs checks the multi-node mode: with two URLs
// and four workers, each URL gets two connections and a share of the load.
func TestRunSpreadsWorkersOverURLs(t *testing.T) {
	var hits [2]atomic.Int64
	var urls []string
	for i := range hits {
		c, err := NewCeiling(testCred.AK, testCred.SK)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits[i].Add(1)
			c.ServeHTTP(w, r)
		}))
		t.Cleanup(srv.Close)
		urls = append(urls, srv.URL)
	}
	cfg := validConfig()
	cfg.URLs, cfg.KeyID, cfg.Conns = urls, ceilingKeyID, 4
	cfg.Warmup, cfg.Duration, cfg.MaxRequests = 0, time.Hour, 200
	if err := cfg.Normalize(); err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Errors != 0 || res.OK != 200 || hits[0].Load()+hits[1].Load() != 200 {
		t.Fatalf("result %s, hits %d/%d", res.Line(), hits[0].Load(), hits[1].Load())
	}
	if hits[0].Load() == 0 || hits[1].Load() == 0 {
		t.Fatalf("one URL got no request: hits %d/%d", hits[0].Load(), hits[1].Load())
	}
}
