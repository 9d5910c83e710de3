package cli

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// served is one run of "kmsd serve" through the real command line code.
type served struct {
	url            string
	stdout, stderr *syncBuffer
	stop           func()
}

// startServe runs "kmsd serve args…" with only vars as its environment and
// returns once the node answers /healthz: by then the client environment,
// if any, has been printed.
func startServe(t *testing.T, vars map[string]string, args ...string) served {
	t.Helper()
	s := served{stdout: &syncBuffer{}, stderr: &syncBuffer{}}
	env := Env{Stdout: s.stdout, Stderr: s.stderr, Lookup: func(k string) (string, bool) { v, ok := vars[k]; return v, ok }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, append([]string{"serve", "--listen", "127.0.0.1:0"}, args...), env) }()
	s.stop = func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("kmsd serve: %v", err)
		}
	}
	deadline := time.Now().Add(time.Minute)
	for s.url == "" || !healthy(s.url) {
		select {
		case err := <-done:
			t.Fatalf("kmsd serve ended early: %v\n%s", err, s.stderr)
		default:
		}
		if time.Now().After(deadline) {
			s.stop()
			t.Fatalf("kmsd serve did not start:\n%s", s.stderr)
		}
		time.Sleep(10 * time.Millisecond)
		s.url = loggedURL(s.stderr.String(), "kmsd listening")
	}
	return s
}

// loggedURL finds the url of the first log line with message msg.
func loggedURL(logs, msg string) string {
	sc := bufio.NewScanner(strings.NewReader(logs))
	for sc.Scan() {
		var line struct{ Msg, URL string }
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == msg {
			return line.URL
		}
	}
	return ""
}

// insecureClient probes nodes serving the tests' self-signed certificates.
var insecureClient = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}

func healthy(url string) bool {
	resp, err := insecureClient.Get(url + "/healthz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

var secretLine = regexp.MustCompile(`(?m)^export HUAWEICLOUD_SDK_SK=(\S+)$`)

// TestServePrintsSecretOnlyOnFirstStart attacks the promise that the
// bootstrap secret key reaches stdout (and so a log system) only on the
// start that created it, or when --print-env / KMSD_PRINT_ENV ask for it,
// and never in a log line.
func TestServePrintsSecretOnlyOnFirstStart(t *testing.T) {
	data := t.TempDir()
	first := startServe(t, nil, "--data", data)
	first.stop()
	m := secretLine.FindStringSubmatch(first.stdout.String())
	if m == nil {
		t.Fatalf("first start printed no secret key:\n%s", first.stdout)
	}
	sk := m[1]
	runs := []struct {
		name      string
		vars      map[string]string
		args      []string
		wantPrint bool
	}{
		{"second start", nil, nil, false},
		{"--print-env", nil, []string{"--print-env"}, true},
		{"KMSD_PRINT_ENV=true", map[string]string{"KMSD_PRINT_ENV": "true"}, nil, true},
		{"--print-env=false over KMSD_PRINT_ENV=true", map[string]string{"KMSD_PRINT_ENV": "true"}, []string{"--print-env=false"}, false},
	}
	for _, r := range runs {
		s := startServe(t, r.vars, append([]string{"--data", data}, r.args...)...)
		s.stop()
		if printed := strings.Contains(s.stdout.String(), sk); printed != r.wantPrint {
			t.Errorf("%s: secret key printed = %v, want %v; stdout:\n%s", r.name, printed, r.wantPrint, s.stdout)
		}
		if strings.Contains(s.stderr.String(), sk) {
			t.Errorf("%s: the secret key is in the log", r.name)
		}
	}
	quiet := startServe(t, nil, "--data", t.TempDir(), "--print-env=false")
	quiet.stop()
	if out := quiet.stdout.String(); out != "" {
		t.Errorf("first start with --print-env=false printed:\n%s", out)
	}
}

// TestServeMetricsListen: "kmsd serve --metrics-listen" serves /metrics on
// that address, and the API port answers /metrics like an unknown path.
func TestServeMetricsListen(t *testing.T) {
	s := startServe(t, nil, "--data", t.TempDir(), "--print-env=false", "--metrics-listen", "127.0.0.1:0")
	defer s.stop()
	metricsURL := loggedURL(s.stderr.String(), "kmsd metrics listening")
	if metricsURL == "" {
		t.Fatalf("no metrics address logged:\n%s", s.stderr)
	}
	for url, want := range map[string]int{metricsURL: http.StatusOK, s.url + "/metrics": http.StatusBadRequest} {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s: HTTP %d, want %d", url, resp.StatusCode, want)
		}
	}
}
