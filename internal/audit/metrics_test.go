package audit

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestRequireBearer(t *testing.T) {
	m := NewMetrics()
	m.Record(context.Background(), Event{Action: "encrypt-data", Status: 200, Duration: time.Millisecond})
	h := RequireBearer("s3cret-token", m)
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
