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
	"sync"
	"time"

	"github.com/kmsd/kmsd/internal/api"
	"github.com/kmsd/kmsd/internal/audit"
	"github.com/kmsd/kmsd/internal/auth"
	"github.com/kmsd/kmsd/internal/config"
	"github.com/kmsd/kmsd/internal/iam"
	"github.com/kmsd/kmsd/internal/jobs"
	"github.com/kmsd/kmsd/internal/rootkey"
	"github.com/kmsd/kmsd/internal/seed"
	"github.com/kmsd/kmsd/internal/service"
	"github.com/kmsd/kmsd/internal/store"
)

// Options are the test seams of a node. Zero values mean production
// behaviour.
type Options struct {
	// Clock drives the key lifecycle: creation and deletion dates, rotation,
	// import expiry and the background jobs. Default time.Now. Request
	// authentication always uses the real clock, because clients sign with
	// theirs.
	Clock  func() time.Time
	Logger *slog.Logger // default JSON to stderr
	// AuditLog receives one JSON line per request; default os.Stderr.
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

	log *slog.Logger

	mu     sync.Mutex // guards the fields below: Close may run before Serve
	closed bool
	cancel context.CancelFunc
	srv    *http.Server
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
	n.IAM = iam.New(n.Store, n.Root, o.Clock)
	n.Service = service.New(service.Options{
		Store: n.Store, Root: n.Root, Clock: o.Clock, Logger: o.Logger, Seals: o.Seals,
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
	metrics := audit.NewMetrics()
	n.Handler = api.New(api.Deps{
		Service: n.Service, IAM: n.IAM, Tokens: tokens,
		Auth:     &auth.Authenticator{IAM: n.IAM, Tokens: tokens, Clock: time.Now},
		Recorder: audit.Multi{audit.Log{W: o.AuditLog}, metrics},
		Metrics:  metrics, Clock: time.Now, Logger: o.Logger,
	})
	n.Jobs = &jobs.Runner{Worker: n.Service, Interval: n.Config.JobInterval, Logger: o.Logger}
	return nil
}

// Serve accepts requests on l and runs the cache watcher and background
// jobs until Close. It returns nil after Close, also when Close came first.
func (n *Node) Serve(l net.Listener) error {
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		l.Close()
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	n.cancel = cancel
	srv := &http.Server{Handler: n.Handler, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second,
		ErrorLog: slog.NewLogLogger(n.log.Handler(), slog.LevelWarn)}
	n.srv = srv
	n.mu.Unlock()
	go n.Service.Watch(ctx)
	go n.Jobs.Run(ctx)
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
	cancel, srv := n.cancel, n.srv
	n.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	var err error
	if srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err = srv.Shutdown(ctx)
		cancel()
	}
	return errors.Join(err, n.closeResources())
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
