package metrics

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/audit"
)

func TestRequireBearer(t *testing.T) {
	m := New([]string{"encrypt-data"}, nil)
	m.Record(context.Background(), audit.Event{Action: "encrypt-data", Status: 200, Duration: time.Millisecond})
	h := RequireBearer("s3cret-token", m.Handler())
	for name, tc := range map[string]struct {
		auth string
		want int
	}{
		"no header":            {"", http.StatusUnauthorized},
		"wrong token":          {"Bearer nope", http.StatusUnauthorized},
		"token prefix":         {"Bearer s3cret", http.StatusUnauthorized},
		"basic scheme":         {"Basic s3cret-token", http.StatusUnauthorized},
		"right token":          {"Bearer s3cret-token", http.StatusOK},
		"scheme in lower case": {"bearer s3cret-token", http.StatusOK},
	} {
		t.Run(name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/metrics", nil)
			if tc.auth != "" {
				r.Header.Set("Authorization", tc.auth)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			leaked := strings.Contains(w.Body.String(), "kmsd_requests_total")
			if w.Code != tc.want || leaked != (tc.want == http.StatusOK) {
				t.Fatalf("HTTP %d, metrics in body %v: %s", w.Code, leaked, w.Body)
			}
			if tc.want == http.StatusUnauthorized && !strings.HasPrefix(w.Header().Get("WWW-Authenticate"), "Bearer") {
				t.Fatalf("401 without a Bearer challenge")
			}
		})
	}
}

// Each event counts once under its action and status, with its duration
// in the histogram; a 429 also counts as throttled, an authentication
// failure under its reason; an unknown action counts as "other".
func TestRecordCounts(t *testing.T) {
	m := New([]string{"encrypt-data", "create-key"}, []string{"bad_signature"})
	ctx := context.Background()
	for _, e := range []audit.Event{
		{Action: "encrypt-data", Status: 200, Duration: 2 * time.Millisecond},
		{Action: "encrypt-data", Status: 200, Duration: 3 * time.Millisecond},
		{Action: "create-key", Status: 429},
		{Action: "create-key", Status: 401, AuthFailure: "bad_signature"},
		{Action: "nonsense", Status: 404},
		{Action: "encrypt-data", Status: 999},
	} {
		m.Record(ctx, e)
	}
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	body := w.Body.String()
	for _, want := range []string{
		`kmsd_requests_total{action="encrypt-data",status="200"} 2`,
		`kmsd_request_duration_seconds_count{action="encrypt-data",status="200"} 2`,
		`kmsd_request_duration_seconds_sum{action="encrypt-data",status="200"} 0.005`,
		`kmsd_requests_total{action="encrypt-data",status="999"} 1`,
		`kmsd_throttled_requests_total{action="create-key"} 1`,
		`kmsd_auth_failures_total{reason="bad_signature"} 1`,
		`kmsd_requests_total{action="other",status="404"} 1`,
		`go_goroutines `, `process_cpu_seconds_total `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

// Recording a request of a known action and status allocates nothing.
func TestRecordDoesNotAllocate(t *testing.T) {
	m := New([]string{"encrypt-data"}, []string{"bad_signature"})
	e := audit.Event{Action: "encrypt-data", Status: 200, Duration: time.Millisecond}
	ctx := context.Background()
	m.Record(ctx, e)
	if n := testing.AllocsPerRun(100, func() { m.Record(ctx, e) }); n != 0 {
		t.Fatalf("%v allocations per record", n)
	}
}
