package e2e

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
)

// metricName matches the series names a PromQL expression uses.
var metricName = regexp.MustCompile(`\b(?:kmsd|go|process)_[a-z_]+\b`)

// TestDashboardNamesOnlyServedMetrics: every series the Grafana dashboard
// in docs/grafana queries is one a node serves at /metrics (a histogram's
// _bucket, _sum and _count included), so the dashboard cannot drift from
// the code.
func TestDashboardNamesOnlyServedMetrics(t *testing.T) {
	const token = "metrics-token-0123456789"
	nd := startNode(t, withMetricsToken(t, token))
	c := nd.client()
	encryptOK(t, c, createKey(t, c, "dashboard", nil), "x", "", nil) // requests, a store transaction, the caches
	_, _, body := getMetrics(t, nd.url, token)
	served := map[string]bool{}
	for line := range strings.SplitSeq(body, "\n") {
		if name, ok := strings.CutPrefix(line, "# TYPE "); ok {
			name, kind, _ := strings.Cut(name, " ")
			served[name] = true
			if kind == "histogram" || kind == "summary" {
				served[name+"_bucket"], served[name+"_sum"], served[name+"_count"] = true, true, true
			}
		}
	}
	raw, err := os.ReadFile("../../docs/grafana/kmsd-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Panels []struct {
			Title   string
			Targets []struct{ Expr string }
		}
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range d.Panels {
		for _, tg := range p.Targets {
			for _, name := range metricName.FindAllString(tg.Expr, -1) {
				n++
				if !served[name] {
					t.Errorf("panel %q queries %s, which /metrics does not serve", p.Title, name)
				}
			}
		}
	}
	if n < 10 {
		t.Fatalf("the dashboard names only %d series", n)
	}
}
