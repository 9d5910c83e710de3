package e2e

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kmsd/kmsd/internal/config"
	"github.com/kmsd/kmsd/internal/server"
)

// getMetrics sends GET url/metrics with an optional bearer token.
func getMetrics(t *testing.T, url, token string) (int, http.Header, string) {
	t.Helper()
	req := newReq(t, http.MethodGet, url+"/metrics", "")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return send(t, req)
}

// withMetricsToken writes token to a file and makes it the metrics token.
func withMetricsToken(t *testing.T, token string) option {
	path := filepath.Join(t.TempDir(), "metrics.token")
	if err := os.WriteFile(path, []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return func(c *config.Config) { c.MetricsTokenFile = path }
}

func withMetricsListen(c *config.Config) { c.MetricsListen = "127.0.0.1:0" }

// wantNoMetrics asserts that a response carries no metrics.
func wantNoMetrics(t *testing.T, where string, status int, body string, wantStatus int) {
	t.Helper()
	if status != wantStatus || strings.Contains(body, "kmsd_") {
		t.Fatalf("%s: HTTP %d (want %d), body %q", where, status, wantStatus, body)
	}
}

// TestMetricsNotServedByDefault: without a metrics setting the API port
// answers /metrics like any unknown path (400 KMS.0201), to anyone.
func TestMetricsNotServedByDefault(t *testing.T) {
	nd := startNode(t)
	encryptOK(t, nd.client(), createKey(t, nd.client(), "m", nil), "x", "", nil)
	status, h, body := getMetrics(t, nd.url, "")
	wantRaw(t, status, h, body, 400, "KMS.0201")
	status, _, body = nd.do(http.MethodGet, "/metrics", "", true, nil)
	wantNoMetrics(t, "signed request", status, body, 400)
}

// TestMetricsOnSeparateAddress: with --metrics-listen the metrics address
// serves /metrics (and nothing else) and the API port does not; the
// counters name actions and status codes, never projects or keys.
func TestMetricsOnSeparateAddress(t *testing.T) {
	nd := startNode(t, withMetricsListen)
	id := createKey(t, nd.client(), "m", nil)
	encryptOK(t, nd.client(), id, "x", "", nil)
	status, h, body := getMetrics(t, nd.url, "")
	wantRaw(t, status, h, body, 400, "KMS.0201")
	status, _, body = getMetrics(t, nd.metricsURL, "")
	if status != 200 || !strings.Contains(body, `kmsd_requests_total{action="encrypt-data",status="200"} 1`) {
		t.Fatalf("metrics address: HTTP %d\n%s", status, body)
	}
	if strings.Contains(body, id) || strings.Contains(body, testProject) || strings.Contains(body, testAK) {
		t.Fatalf("metrics name a key, project or access key:\n%s", body)
	}
	status, _, body = send(t, newReq(t, http.MethodGet, nd.metricsURL+"/v1.0", ""))
	wantNoMetrics(t, "API path on the metrics address", status, body, 404)
}

// TestMetricsBehindToken: with --metrics-token-file, /metrics (on the API
// port, or on the metrics address when both are set) answers 401 without
// the token or with a wrong one.
func TestMetricsBehindToken(t *testing.T) {
	const token = "metrics-token-0123456789"
	for name, opts := range map[string][]option{
		"API port":        {withMetricsToken(t, token)},
		"metrics address": {withMetricsToken(t, token), withMetricsListen},
	} {
		t.Run(name, func(t *testing.T) {
			nd := startNode(t, opts...)
			url := nd.url
			if nd.metricsURL != "" {
				url = nd.metricsURL
				status, h, body := getMetrics(t, nd.url, token)
				wantRaw(t, status, h, body, 400, "KMS.0201")
			}
			for _, bad := range []string{"", "wrong", token + "x", testSK} {
				status, h, body := getMetrics(t, url, bad)
				wantNoMetrics(t, "token "+bad, status, body, 401)
				if !strings.HasPrefix(h.Get("WWW-Authenticate"), "Bearer") {
					t.Fatalf("401 without a Bearer challenge")
				}
			}
			if status, _, body := getMetrics(t, url, token); status != 200 || !strings.Contains(body, "kmsd_auth_failures_total") {
				t.Fatalf("with the token: HTTP %d\n%s", status, body)
			}
		})
	}
}

// TestMetricsTokenFileMustHoldAToken: an empty or missing token file stops
// the node from starting instead of serving /metrics unprotected.
func TestMetricsTokenFileMustHoldAToken(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty.token")
	os.WriteFile(empty, []byte(" \n"), 0o600)
	for _, path := range []string{empty, filepath.Join(t.TempDir(), "missing.token")} {
		cfg := newNode(t, func(c *config.Config) { c.MetricsTokenFile = path }).cfg
		n, err := server.Open(context.Background(), cfg, server.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), AuditLog: io.Discard})
		if err == nil {
			n.Close()
			t.Fatalf("started with metrics token file %s", path)
		}
	}
}
