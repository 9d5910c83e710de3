package audit

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Metrics is the sink that counts requests by action and status and sums
// their durations. It serves them in the Prometheus text exposition format.
// What that reveals (every action's request count, status codes and time
// spent, across all projects; no key ids, project ids or credentials) is in
// docs/deploy.md.
type Metrics struct {
	mu     sync.Mutex
	counts map[metricKey]*counter
}

type metricKey struct {
	action string
	status int
}

type counter struct {
	n   uint64
	sum time.Duration
}

// NewMetrics returns empty metrics.
func NewMetrics() *Metrics { return &Metrics{counts: map[metricKey]*counter{}} }

// Record implements Sink. Durable, for Metrics, means counted in memory:
// Record never fails (and the counters start from zero at every start).
func (m *Metrics) Record(_ context.Context, e Event) error {
	k := metricKey{e.Action, e.Status}
	m.mu.Lock()
	c := m.counts[k]
	if c == nil {
		c = &counter{}
		m.counts[k] = c
	}
	c.n++
	c.sum += e.Duration
	m.mu.Unlock()
	return nil
}

// ServeHTTP writes the counters.
func (m *Metrics) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	m.mu.Lock()
	keys := make([]metricKey, 0, len(m.counts))
	for k := range m.counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].action != keys[j].action {
			return keys[i].action < keys[j].action
		}
		return keys[i].status < keys[j].status
	})
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	fmt.Fprintln(w, "# TYPE kmsd_requests_total counter")
	for _, k := range keys {
		fmt.Fprintf(w, "kmsd_requests_total{action=%q,status=\"%d\"} %d\n", k.action, k.status, m.counts[k].n)
	}
	fmt.Fprintln(w, "# TYPE kmsd_request_seconds_sum counter")
	for _, k := range keys {
		sec := strconv.FormatFloat(m.counts[k].sum.Seconds(), 'f', 6, 64)
		fmt.Fprintf(w, "kmsd_request_seconds_sum{action=%q,status=\"%d\"} %s\n", k.action, k.status, sec)
	}
	m.mu.Unlock()
}

// RequireBearer serves h only to requests carrying "Authorization: Bearer
// <token>"; any other request gets 401 with a WWW-Authenticate challenge
// and no metrics. The comparison takes the same time whatever the
// presented token.
func RequireBearer(token string, h http.Handler) http.Handler {
	want := sha256.Sum256([]byte(token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := bearer(r.Header.Get("Authorization"))
		sum := sha256.Sum256([]byte(got))
		if !ok || subtle.ConstantTimeCompare(sum[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="kmsd metrics"`)
			http.Error(w, "401 unauthorized: /metrics needs the bearer token of --metrics-token-file", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// bearer returns the credentials of an Authorization header of the Bearer
// scheme (the scheme name is case-insensitive, RFC 7235).
func bearer(header string) (string, bool) {
	const scheme = "Bearer "
	if len(header) < len(scheme) || !strings.EqualFold(header[:len(scheme)], scheme) {
		return "", false
	}
	return header[len(scheme):], true
}
