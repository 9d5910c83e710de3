// Package server assembles a kmsd node from its configuration: it opens the
// store and the root key, builds the identity and key services, bootstraps
// and seeds, and serves the API while the background jobs run. cmd/kmsd and
// the end-to-end tests both start kmsd through Open and Serve, so tests run
// exactly the production code path.
package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/kmsd/kmsd/internal/api"
	"github.com/kmsd/kmsd/internal/audit/trail"
	"github.com/kmsd/kmsd/internal/auth"
	"github.com/kmsd/kmsd/internal/auth/replay"
	"github.com/kmsd/kmsd/internal/authz"
	"github.com/kmsd/kmsd/internal/config"
	"github.com/kmsd/kmsd/internal/iam"
	"github.com/kmsd/kmsd/internal/jobs"
	"github.com/kmsd/kmsd/internal/limit"
	"github.com/kmsd/kmsd/internal/metrics"
	"github.com/kmsd/kmsd/internal/rewrap"
	"github.com/kmsd/kmsd/internal/rootkey"
	"github.com/kmsd/kmsd/internal/seed"
	"github.com/kmsd/kmsd/internal/service"
	"github.com/kmsd/kmsd/internal/store"
)

// ExpensiveWait is the longest a request waits for a slot of the gate for
// expensive operations before it is answered 429 APIGW.0308.
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
	// AuditLog, when set, receives the audit trail instead of the
	// destination Config.Audit names (a test seam): a new chain, each
	// record written (not fsynced) before Record returns, so that a write
	// error refuses the request as a full disk would.
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
	// Metrics is the node's Prometheus registry; nil when /metrics is
	// served nowhere.
	Metrics *metrics.Registry
	// Trail is the node's audit trail, closed by Close after the last
	// request.
	Trail *trail.Writer

	log *slog.Logger

	tls *tls.Config // nil for plain HTTP

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
	n := &Node{Config: cfg, log: o.Logger}
	if err := n.loadTLS(); err != nil {
		return nil, err
	}
	fresh := newDataDir(cfg)
	err := n.openResources(ctx)
	if err == nil {
		err = n.build(ctx, o)
	}
	if err != nil {
		n.closeResources() // whatever was opened before the failure
		return nil, errors.Join(err, fresh.undo())
	}
	return n, nil
}

// loadTLS loads the certificate and key of Config.TLSCert and TLSKey, if
// set, so that a bad one stops the node before it opens anything.
func (n *Node) loadTLS() error {
	if n.Config.TLSCert == "" {
		return nil
	}
	cert, err := tls.LoadX509KeyPair(n.Config.TLSCert, n.Config.TLSKey)
	if err != nil {
		return fmt.Errorf("TLS: loading the certificate --tls-cert %s and key --tls-key %s: %w",
			n.Config.TLSCert, n.Config.TLSKey, err)
	}
	n.tls = &tls.Config{Certificates: []tls.Certificate{cert}}
	return nil
}

func (n *Node) openResources(ctx context.Context) error {
	var err error
	if n.Store, err = OpenStore(ctx, n.Config); err != nil {
		return err
	}
	if n.Root, err = OpenRootKey(ctx, n.Config, n.Store); err != nil {
		return err
	}
	return rewrap.CheckNode(ctx, n.Store, n.Root.ID(), rootkey.PreviousID(n.Root))
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
	boot, seeds, err := bootstrapOf(cfg)
	if err != nil {
		return err
	}
	n.Bootstrap, err = n.IAM.EnsureBootstrap(ctx, boot)
	if errors.Is(err, rootkey.ErrUnwrap) { // a store from before the root key check
		return fmt.Errorf("%w (root key %s): %w", ErrRootKeyMismatch, n.Root.ID(), err)
	}
	if err != nil {
		return err
	}
	// The bootstrap secret key unwrapped: the key is the store's. A store
	// initialized before the root key check existed records it now.
	if err := bindRootKey(ctx, n.Store, n.Root, true); err != nil {
		return err
	}
	if seeds != nil {
		if err := seed.Apply(ctx, *seeds, n.IAM, n.Service); err != nil {
			return err
		}
	}
	return n.buildHandler(ctx, o)
}

// bootstrapOf returns the bootstrap identities cfg asks for and the seed
// file, if any. Ids the seed file fixes for the bootstrap account and
// project are theirs (unless the configuration fixes the project id), so
// that the file applies on a fresh data directory as written.
func bootstrapOf(cfg config.Config) (iam.Bootstrap, *seed.File, error) {
	c := cfg.Bootstrap
	b := iam.Bootstrap{Region: c.Region, Domain: c.Domain, User: c.User, Password: c.Password,
		ProjectID: c.ProjectID, AccessKey: c.AccessKey, SecretKey: c.SecretKey}.WithDefaults()
	if cfg.Seed == "" {
		return b, nil, nil
	}
	f, err := seed.Load(cfg.Seed)
	if err != nil {
		return b, nil, err
	}
	domainID, projectID := f.BootstrapIDs(b.Domain, b.Region)
	b.DomainID = domainID
	if b.ProjectID == "" {
		b.ProjectID = projectID
	}
	return b, &f, nil
}

func (n *Node) buildHandler(ctx context.Context, o Options) error {
	key, err := n.IAM.TokenKey(ctx)
	if err != nil {
		return err
	}
	tokens := auth.NewTokens(key)
	clear(key)
	sink, apiMetrics, err := n.wireAudit(ctx, o.AuditLog)
	if err != nil {
		return err
	}
	n.Handler = api.New(api.Deps{
		Service: n.Service, IAM: n.IAM, Tokens: tokens,
		Auth:  &auth.Authenticator{IAM: n.IAM, Tokens: tokens, Clock: time.Now, Replay: replayPolicy(n.Config)},
		Audit: sink, Metrics: apiMetrics, Clock: time.Now, Logger: o.Logger, Authz: n.Authz,
		Strict: n.Config.Strict, AuditEvery: n.Config.Audit.Durable == "all",
		AuditSyncEvery: n.Config.Audit.Sync == "all", Ready: n.ready, TokenTTL: n.Config.TokenTTL,
	})
	n.Jobs = &jobs.Runner{Worker: n.Service, Interval: n.Config.JobInterval, Logger: o.Logger}
	if n.Metrics != nil {
		n.Jobs.OnPass = n.Metrics.JobPass
	}
	return nil
}

// replayPolicy builds the replay guard cfg asks for.
func replayPolicy(cfg config.Config) auth.ReplayPolicy {
	if cfg.ReplayGuard == "off" {
		return auth.ReplayPolicy{}
	}
	return auth.ReplayPolicy{Guard: replay.New(cfg.ReplayGuardCapacity), All: cfg.ReplayGuard == "all"}
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
	if n.tls != nil {
		srv.TLSConfig = n.tls.Clone()
		err = srv.ServeTLS(l, "", "")
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
	n.log.Info("kmsd shutting down: finishing requests in flight")
	var errs []error
	for _, srv := range servers {
		errs = append(errs, srv.Shutdown(ctx))
	}
	err := errors.Join(append(errs, n.closeResources())...)
	if err != nil {
		n.log.Error("kmsd stopped", "error", err)
	} else {
		n.log.Info("kmsd stopped")
	}
	return err
}

func (n *Node) closeResources() error {
	var errs []error
	if n.Trail != nil {
		errs = append(errs, n.Trail.Close())
	}
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
