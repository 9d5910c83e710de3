package cli

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/kmsd/kmsd/internal/config"
)

// At --log-level debug the operational log has one "request" line per
// request; whatever the level, the node logs its shutdown and its stop.
func TestServeLogsRequestsAtDebugAndItsShutdown(t *testing.T) {
	s := startServe(t, nil, "--data", t.TempDir(), "--log-level", "debug", "--print-env=false")
	resp, err := http.Get(s.url + "/v1.0")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	id := resp.Header.Get("X-Request-Id")
	s.stop()
	logs := s.stderr.String()
	for _, want := range []string{`"level":"DEBUG","msg":"request","request_id":"` + id + `"`,
		`"msg":"kmsd shutting down: finishing requests in flight"`, `"level":"INFO","msg":"kmsd stopped"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log lacks %s:\n%s", want, logs)
		}
	}
}

// --log-format text writes logfmt lines; --log-level drops what is below it.
func TestLoggerLevelAndFormat(t *testing.T) {
	var out bytes.Buffer
	cfg := config.Default()
	cfg.LogLevel, cfg.LogFormat = "warn", "text"
	l := newLogger(cfg, &out)
	l.Info("not shown")
	l.Warn("shown", "k", "v")
	if got := out.String(); strings.Contains(got, "not shown") || !strings.Contains(got, `level=WARN msg=shown k=v`) {
		t.Fatalf("log %q", got)
	}
}
