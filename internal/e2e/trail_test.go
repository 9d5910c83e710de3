package e2e

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/auth/sigv"
)

// trailBuffer collects the audit trail's lines.
type trailBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *trailBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// records returns the trail's request records by trace_id.
func (l *trailBuffer) records(t *testing.T) map[string]map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string]map[string]any{}
	for line := range strings.SplitSeq(strings.TrimSpace(l.b.String()), "\n") {
		var r map[string]any
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("trail line %q: %v", line, err)
		}
		if r["trace_type"] == "ApiCall" {
			out[r["trace_id"].(string)] = r
		}
	}
	return out
}

// TestTrailRecordsWhoAndWhat: the trail's record of a request names the
// client address, the user and access key, the operation as CTS spells it,
// the key, and its parameters, never the plaintext or the ciphertext; a
// request that fails to authenticate is recorded with the access key it
// tried and why it failed, which the 401 answer does not tell.
func TestTrailRecordsWhoAndWhat(t *testing.T) {
	var trail trailBuffer
	nd := startAuditedNode(t, &trail, withAudit("all", "refuse"))
	id := createKey(t, nd.client(), "trail", nil)
	const secret = "top-secret-plaintext"
	body := `{"key_id":"` + id + `","plain_text":"` + secret + `"}`
	st, h, resp := nd.do("POST", kmsPath("encrypt-data"), body, true, nil)
	if st != 200 {
		t.Fatalf("encrypt-data: %d %s", st, resp)
	}
	var ct struct {
		CipherText string `json:"cipher_text"`
	}
	json.Unmarshal([]byte(resp), &ct)

	bad := newReq(t, "POST", nd.url+kmsPath("encrypt-data"), body)
	if err := sigv.Sign(bad, []byte(body), "UNKNOWNAK0000000000", testSK, time.Now()); err != nil {
		t.Fatal(err)
	}
	badStatus, badH, badBody := send(t, bad)
	wrong := newReq(t, "POST", nd.url+kmsPath("encrypt-data"), body)
	if err := sigv.Sign(wrong, []byte(body), testAK, "not-the-secret-key-at-all", time.Now()); err != nil {
		t.Fatal(err)
	}
	wrongStatus, wrongH, wrongBody := send(t, wrong)
	if badStatus != 401 || wrongStatus != 401 || strings.Contains(badBody+wrongBody, "unknown_access_key") {
		t.Fatalf("bad credentials: %d %s / %d %s", badStatus, badBody, wrongStatus, wrongBody)
	}

	recs := trail.records(t)
	r := recs[h.Get("X-Request-Id")]
	if r == nil {
		t.Fatalf("no record of encrypt-data %s", h.Get("X-Request-Id"))
	}
	user := r["user"].(map[string]any)
	req := r["request"].(map[string]any)
	if r["trace_name"] != "encryptData" || r["resource_id"] != id || r["resource_type"] != "cmk" ||
		r["source_ip"] != "127.0.0.1" || r["code"] != "200" || r["trace_status"] != "normal" ||
		user["access_key_id"] != testAK || user["id"] == "" || req["key_id"] != id {
		t.Errorf("encrypt-data record %v", r)
	}
	if raw, _ := json.Marshal(recs); bytes.Contains(raw, []byte(secret)) || bytes.Contains(raw, []byte(ct.CipherText)) {
		t.Errorf("the trail holds the plaintext or the ciphertext: %s", raw)
	}
	for _, tc := range []struct {
		id, ak, reason string
	}{
		{badH.Get("X-Request-Id"), "UNKNOWNAK0000000000", "unknown_access_key"},
		{wrongH.Get("X-Request-Id"), testAK, "bad_signature"},
	} {
		r := recs[tc.id]
		if r == nil {
			t.Fatalf("no record of the failed authentication %s", tc.id)
		}
		user := r["user"].(map[string]any)
		if user["access_key_id"] != tc.ak || r["auth_failure"] != tc.reason || r["code"] != "401" || r["trace_status"] != "warning" {
			t.Errorf("failed authentication record %v, want access key %s and reason %s", r, tc.ak, tc.reason)
		}
	}
}

// TestProbes: /healthz answers while the process serves; /readyz checks
// the store, the root key, the migrations and the audit trail.
func TestProbes(t *testing.T) {
	nd := startNode(t)
	for _, p := range []string{"/healthz", "/readyz"} {
		if st, _, body := nd.do("GET", p, "", false, nil); st != 200 || !strings.Contains(body, `"status":"ok"`) {
			t.Errorf("%s: %d %s", p, st, body)
		}
	}
}
