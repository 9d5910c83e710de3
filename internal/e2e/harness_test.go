package e2e

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	kms "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2"

	"github.com/kmsd/kmsd/internal/auth/sigv"
	"github.com/kmsd/kmsd/internal/config"
	"github.com/kmsd/kmsd/internal/server"
	"github.com/kmsd/kmsd/internal/service"
	"github.com/kmsd/kmsd/internal/testkit"
	"github.com/kmsd/kmsd/internal/testkit/sdktest"
)

// Fixed bootstrap identities of every test node.
const (
	testAK      = "KMSDTESTAK0123456789"
	testSK      = "KmsdTestSecretKey0123456789abcdefghijklm"
	testProject = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
	testRegion  = "local-1"
	testPass    = "correct horse battery staple"
)

// node is a kmsd under test.
type node struct {
	t     testing.TB
	cfg   config.Config
	clock *testkit.Clock
	seals service.SealLimits // zero: production limits
	// auditLog receives the node's audit lines; nil: io.Discard.
	auditLog io.Writer
	n        *server.Node
	url      string
	// metricsURL is the base URL of the metrics address when
	// cfg.MetricsListen is set.
	metricsURL string
	done       chan error // one result per server: API, then metrics
}

// option adjusts the configuration of a test node.
type option func(*config.Config)

// startNode starts a kmsd on 127.0.0.1:0 with a fresh data directory.
func startNode(t testing.TB, opts ...option) *node {
	t.Helper()
	nd := newNode(t, opts...)
	nd.start()
	t.Cleanup(nd.stop)
	return nd
}

// newNode configures a test node without starting it, for tests that set
// the node's server options first.
func newNode(t testing.TB, opts ...option) *node {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Listen = "127.0.0.1:0"
	cfg.JobInterval = time.Hour // tests run jobs explicitly
	// Parallel subtests generate RSA keys at once; the throttling of
	// expensive operations has its own tests, which set this to 1.
	cfg.Limits.ExpensiveOps = 64
	// Tests create more keys per project than Huawei's default quota of 20;
	// the quota has its own tests, which set it.
	cfg.KeyQuota = 1000
	cfg.Bootstrap = config.Bootstrap{Region: testRegion, Domain: "admin", User: "admin",
		Password: testPass, ProjectID: testProject, AccessKey: testAK, SecretKey: testSK}
	for _, o := range opts {
		o(&cfg)
	}
	return &node{t: t, cfg: cfg, clock: testkit.NewClock(time.Now().UTC())}
}

func (nd *node) start() {
	nd.t.Helper()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	auditLog := nd.auditLog
	if auditLog == nil {
		auditLog = io.Discard
	}
	n, err := server.Open(context.Background(), nd.cfg, server.Options{Clock: nd.clock.Now, Logger: logger, AuditLog: auditLog, Seals: nd.seals})
	if err != nil {
		nd.t.Fatalf("start kmsd: %v", err)
	}
	l, err := net.Listen("tcp", nd.cfg.Listen)
	if err != nil {
		n.Close()
		nd.t.Fatalf("listen: %v", err)
	}
	nd.n, nd.url, nd.done = n, "http://"+l.Addr().String(), make(chan error, 2)
	go func() { nd.done <- n.Serve(l) }()
	nd.startMetrics()
}

// startMetrics serves the node's metrics address, if it has one.
func (nd *node) startMetrics() {
	nd.t.Helper()
	if nd.cfg.MetricsListen == "" {
		return
	}
	l, err := net.Listen("tcp", nd.cfg.MetricsListen)
	if err != nil {
		nd.t.Fatalf("metrics listen: %v", err)
	}
	nd.metricsURL = "http://" + l.Addr().String()
	go func() { nd.done <- nd.n.ServeMetrics(l) }()
}

func (nd *node) stop() {
	if nd.n == nil {
		return
	}
	if err := nd.n.Close(); err != nil {
		nd.t.Errorf("close kmsd: %v", err)
	}
	servers := 1
	if nd.metricsURL != "" {
		servers++
	}
	for range servers {
		if err := <-nd.done; err != nil {
			nd.t.Errorf("serve: %v", err)
		}
	}
	nd.n, nd.metricsURL = nil, ""
}

// restart stops the node and starts it again on the same data (new port).
func (nd *node) restart() {
	nd.stop()
	nd.start()
}

// runJobs runs the background jobs once at the node's clock.
func (nd *node) runJobs() { nd.n.Jobs.RunOnce(context.Background()) }

// client returns an official SDK client for the bootstrap credential.
func (nd *node) client() *kms.KmsClient { return nd.clientFor(testAK, testSK, testProject) }

// clientFor returns an official SDK client for the given credential.
func (nd *node) clientFor(ak, sk, projectID string) *kms.KmsClient {
	nd.t.Helper()
	return sdktest.Client(nd.t, nd.url, testRegion, sdktest.Credential{AK: ak, SK: sk, ProjectID: projectID})
}

// do sends a raw request; signed requests are signed with the bootstrap
// credential exactly like the SDK does. It returns status, headers and body.
func (nd *node) do(method, path, body string, signed bool, hdr map[string]string) (int, http.Header, string) {
	nd.t.Helper()
	req := newReq(nd.t, method, nd.url+path, body)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	if signed {
		if err := sigv.Sign(req, []byte(body), testAK, testSK, time.Now()); err != nil {
			nd.t.Fatal(err)
		}
	}
	return send(nd.t, req)
}

// kmsPath is the path of a KMS action in the bootstrap project.
func kmsPath(action string) string { return "/v1.0/" + testProject + "/kms/" + action }

// wantErr asserts that err is an SDK service error with status and code
// (and a request id).
var wantErr = sdktest.WantError

func must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

func ptr[T any](v T) *T { return &v }
