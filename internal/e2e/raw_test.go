package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

func newReq(t testing.TB, method, url, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json;charset=UTF-8")
	return req
}

func send(t testing.TB, req *http.Request) (int, http.Header, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// wantRaw checks a raw response: status, KMS error body shape and code, and
// the X-Request-Id header.
func wantRaw(t testing.TB, status int, h http.Header, body string, wantStatus int, code string) {
	t.Helper()
	if status != wantStatus {
		t.Fatalf("status %d, want %d: %s", status, wantStatus, body)
	}
	if h.Get("X-Request-Id") == "" {
		t.Fatalf("no X-Request-Id")
	}
	if strings.HasPrefix(code, "APIGW.") && !strings.Contains(body, `"title"`) { // a Keystone body has its own shape
		// The API gateway's flat body, with the request id.
		var e struct {
			Code      string `json:"error_code"`
			Msg       string `json:"error_msg"`
			RequestID string `json:"request_id"`
		}
		if err := json.Unmarshal([]byte(body), &e); err != nil || e.Code != code || e.Msg == "" || e.RequestID != h.Get("X-Request-Id") {
			t.Fatalf("body %s, want the gateway's flat error_code %s with a message and request_id %s", body, code, h.Get("X-Request-Id"))
		}
		return
	}
	var e struct {
		Error struct {
			Code string `json:"error_code"`
			Msg  string `json:"error_msg"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error.Code != code || e.Error.Msg == "" {
		t.Fatalf("body %s, want error_code %s with a message", body, code)
	}
}
