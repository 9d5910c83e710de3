// Package server assembles a kmsd node from its configuration: it opens the
// store and the root key, builds the identity and key services, bootstraps
// and seeds, and serves the API while the background jobs run. cmd/kmsd and
// the end-to-end tests both start kmsd through Open and Serve, so tests run
// exactly the production code path.
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/kmsd/kmsd/internal/api"
	"github.com/kmsd/kmsd/internal/audit"
	"github.com/kmsd/kmsd/internal/auth"
	"github.com/kmsd/kmsd/internal/auth/replay"
	"github.com/kmsd/kmsd/internal/authz"
	"github.com/kmsd/kmsd/internal/config"
	"github.com/kmsd/kmsd/internal/iam"
	"github.com/kmsd/kmsd/internal/jobs"
	"github.com/kmsd/kmsd/internal/limit"
	"github.com/kmsd/kmsd/internal/rootkey"
	"github.com/kmsd/kmsd/internal/seed"
	"github.com/kmsd/kmsd/internal/service"
	"github.com/kmsd/kmsd/internal/store"
)

// ExpensiveWait is the longest a request waits for a slot of the gate for
// expensive operations before it is answered 429 APIG.0308.
const ExpensiveWait = 250 * time.Millisecond

// Options are the test seams of a node. Zero values mean production
// behaviour.
type Options struct {
	// Clock drives the key lifecycle (creation and deletion dates,
	// rotation, import expiry, the background jobs) and the password
	// lockout. Default time.Now. Request authentication always uses the
	// real clock, because clients sign with theirs.
	Clock  func() time.Time
	Logger *slog.Logger // default JSON to stderr
	// AuditLog receives one JSON line per request; default os.Stderr. The
	// line of an AuditFirst operation (every write) is written through it
	// before the response (audit.Log): a Write, or WriteThrough when it is
	// an audit.ThroughWriter such as the audit.BatchWriter kmsd serve
	// passes; when that fails the operation answers 503 KMS.0104.
	AuditLog io.Writer
	// Seals bounds the seals per key version; zero values are the NIST
	// bound of docs/ciphertext.md §3.1. Tests lower it to reach it.
	Seals service.SealLimits
}

// Node is a running kmsd instance.
type Node struct {
	Config    config.Config
	Store     store.Store
	Root      rootkey.RootKey
	IAM       *iam.Service
	Service   *service.Service
	Handler   http.Handler
	Jobs      *jobs.Runner
	Bootstrap iam.BootstrapResult
	// Expensive is the node's gate for RSA key generation and password
	// hashing (Config.Limits.ExpensiveOps slots), shared by IAM and Service.
	Expensive *limit.Gate
	// Authz is the node's one authorization decider, shared by the request
	// pipeline (action level) and the service (key level).
	Authz authz.Decider
	// MetricsHandler serves GET /metrics on the separate metrics address
	// (ServeMetrics); nil unless Config.MetricsListen is set.
	MetricsHandler http.Handler

	log *slog.Logger

	mu      sync.Mutex // guards the fields below: Close may run before Serve
	closed  bool
	cancel  context.CancelFunc
	servers []*http.Server
}

// Open builds a node from cfg (already validated): it opens the store and
// root key, bootstraps identities, applies the seed file, and starts the
// cache watcher. Call Serve to accept requests and Close to stop.
func Open(ctx context.Context, cfg config.Config, o Options) (*Node, error) {
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	if o.AuditLog == nil {
		o.AuditLog = os.Stderr
	}
	n := &Node{Config: cfg, log: o.Logger}
	err := n.openResources(ctx)
	if err == nil {
		err = n.build(ctx, o)
	}
	if err != nil {
		n.closeResources() // whatever was opened before the failure
		return nil, err
	}
	return n, nil
}

func (n *Node) openResources(ctx context.Context) error {
	var err error
	if n.Store, err = OpenStore(ctx, n.Config); err != nil {
		return err
	}
	n.Root, err = OpenRootKey(n.Config)
	return err
}

func (n *Node) build(ctx context.Context, o Options) error {
	cfg := n.Config
	n.Expensive = limit.NewGate(cfg.Limits.ExpensiveOps, ExpensiveWait)
	n.IAM = iam.New(iam.Options{Store: n.Store, Root: n.Root, Clock: o.Clock, Expensive: n.Expensive,
		Lockout: iam.Lockout(cfg.Lockout)})
	n.Authz = authz.Default(authz.IAMPolicy{Source: n.IAM})
	n.Service = service.New(service.Options{
		Store: n.Store, Root: n.Root, Clock: o.Clock, Logger: o.Logger, Expensive: n.Expensive, Seals: o.Seals,
		Authz:  n.Authz,
		Limits: service.Limits{KeysPerProject: cfg.KeyQuota, GrantsPerKey: cfg.GrantQuota},
	})
	boot, err := n.IAM.EnsureBootstrap(ctx, iam.Bootstrap(cfg.Bootstrap))
	if err != nil {
		return err
	}
	n.Bootstrap = boot
	if cfg.Seed != "" {
		if err := seed.ApplyFile(ctx, cfg.Seed, n.IAM, n.Service); err != nil {
			return err
		}
	}
	return n.buildHandler(ctx, o)
}

func (n *Node) buildHandler(ctx context.Context, o Options) error {
	key, err := n.IAM.TokenKey(ctx)
	if err != nil {
		return err
	}
	tokens := auth.NewTokens(key)
	clear(key)
	sink, apiMetrics, err := n.wireAudit(o.AuditLog)
	if err != nil {
		return err
	}
	n.Handler = api.New(api.Deps{
		Service: n.Service, IAM: n.IAM, Tokens: tokens,
		Auth:  &auth.Authenticator{IAM: n.IAM, Tokens: tokens, Clock: time.Now, Replay: replayPolicy(n.Config)},
		Audit: sink, Metrics: apiMetrics, Clock: time.Now, Logger: o.Logger, Authz: n.Authz,
		TokenTTL: n.Config.TokenTTL,
	})
	n.Jobs = &jobs.Runner{Worker: n.Service, Interval: n.Config.JobInterval, Logger: o.Logger}
	return nil
}

// replayPolicy builds the replay guard cfg asks for.
func replayPolicy(cfg config.Config) auth.ReplayPolicy {
	if cfg.ReplayGuard == "off" {
		return auth.ReplayPolicy{}
	}
	return auth.ReplayPolicy{Guard: replay.New(cfg.ReplayGuardCapacity), All: cfg.ReplayGuard == "all"}
}

// wireAudit returns the sink that records every request (the audit log,
// then the metrics counters when /metrics is served: the log first, so that
// an operation the log could not record is not counted as acknowledged; see
// audit.Multi) and the handler the API port serves at /metrics (nil unless
// Config.MetricsOnAPI), and sets MetricsHandler when /metrics has its own
// address.
func (n *Node) wireAudit(auditLog io.Writer) (audit.Sink, http.Handler, error) {
	metrics, h, err := buildMetrics(n.Config)
	if err != nil || metrics == nil {
		return audit.Log{W: auditLog}, nil, err
	}
	if n.Config.MetricsListen != "" {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", h)
		n.MetricsHandler, h = mux, nil
	}
	return audit.Multi{audit.Log{W: auditLog}, metrics}, h, nil
}

// buildMetrics returns the request counters and the handler serving them,
// behind the bearer token of cfg.MetricsTokenFile when there is one; all
// nil when /metrics is served nowhere (docs/deploy.md says what it shows).
func buildMetrics(cfg config.Config) (*audit.Metrics, http.Handler, error) {
	if !cfg.MetricsServed() {
		return nil, nil, nil
	}
	m := audit.NewMetrics()
	if cfg.MetricsTokenFile == "" {
		return m, m, nil
	}
	b, err := os.ReadFile(cfg.MetricsTokenFile)
	if err != nil {
		return nil, nil, fmt.Errorf("server: metrics token: %w", err)
	}
	token := strings.TrimSpace(string(b))
	if token == "" {
		return nil, nil, fmt.Errorf("server: metrics token file %s is empty", cfg.MetricsTokenFile)
	}
	return m, audit.RequireBearer(token, m), nil
}

// Serve accepts requests on l and runs the cache watcher and background
// jobs until Close. It returns nil after Close, also when Close came first.
// At most Config.Limits.MaxConnections connections are open at once, and a
// request header block over Config.Limits.MaxHeaderBytes answers 431 (on
// the metrics address too).
func (n *Node) Serve(l net.Listener) error {
	return n.serve(l, n.Handler, func() {
		ctx, cancel := context.WithCancel(context.Background())
		n.cancel = cancel
		go n.Service.Watch(ctx)
		go n.IAM.Watch(ctx)
		go n.Jobs.Run(ctx)
	})
}

// ServeMetrics serves MetricsHandler (GET /metrics and nothing else) on l,
// with the API's TLS setting, until Close.
func (n *Node) ServeMetrics(l net.Listener) error {
	if n.MetricsHandler == nil {
		l.Close()
		return errors.New("server: no metrics address is configured")
	}
	return n.serve(l, n.MetricsHandler, nil)
}

// serve runs an HTTP server for h on l until Close; start, when not nil,
// runs once the server is registered for Close.
func (n *Node) serve(l net.Listener, h http.Handler, start func()) error {
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		l.Close()
		return nil
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second,
		MaxHeaderBytes: n.Config.Limits.MaxHeaderBytes,
		ErrorLog:       slog.NewLogLogger(n.log.Handler(), slog.LevelWarn)}
	l = limit.Listener(l, n.Config.Limits.MaxConnections)
	n.servers = append(n.servers, srv)
	if start != nil {
		start()
	}
	n.mu.Unlock()
	var err error
	if n.Config.TLSCert != "" {
		err = srv.ServeTLS(l, n.Config.TLSCert, n.Config.TLSKey)
	} else {
		err = srv.Serve(l)
	}
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Close stops serving (letting requests in flight finish for up to 10 s),
// stops the jobs and releases the store and root key. Call it once.
func (n *Node) Close() error {
	n.mu.Lock()
	n.closed = true
	cancel, servers := n.cancel, n.servers
	n.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	ctx, stop := context.WithTimeout(context.Background(), 10*time.Second)
	defer stop()
	var errs []error
	for _, srv := range servers {
		errs = append(errs, srv.Shutdown(ctx))
	}
	return errors.Join(append(errs, n.closeResources())...)
}

func (n *Node) closeResources() error {
	var errs []error
	if n.Store != nil {
		errs = append(errs, n.Store.Close())
	}
	if n.Root != nil {
		errs = append(errs, n.Root.Close())
	}
	return errors.Join(errs...)
}

// PrintEnv writes the environment that points the Huawei SDK and sops at
// this node, for the bootstrap credential.
func (n *Node) PrintEnv(w io.Writer, baseURL string) {
	b := n.Bootstrap
	fmt.Fprintf(w, "export HUAWEICLOUD_SDK_AK=%s\n", b.AccessKey)
	fmt.Fprintf(w, "export HUAWEICLOUD_SDK_SK=%s\n", b.SecretKey)
	fmt.Fprintf(w, "export HUAWEICLOUD_SDK_PROJECT_ID=%s\n", b.ProjectID)
	fmt.Fprintf(w, "export HUAWEICLOUD_SDK_REGION_KMS_%s=%s\n", RegionEnvName(b.Region), baseURL)
	if b.Password != "" {
		fmt.Fprintf(w, "# user %q of domain %q has password %s (shown once; use it for POST /v3/auth/tokens)\n",
			b.UserName, b.DomainName, b.Password)
	}
}
