package server

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/kmsd/kmsd/internal/audit"
	"github.com/kmsd/kmsd/internal/audit/trail"
	"github.com/kmsd/kmsd/internal/auth"
	"github.com/kmsd/kmsd/internal/config"
	"github.com/kmsd/kmsd/internal/metrics"
	"github.com/kmsd/kmsd/internal/op"
)

// wireAudit opens the audit trail and returns the sink that records every
// request (the trail, then the per-request debug line when the log is at
// debug level, then the metrics when /metrics is served: the trail first,
// so that an operation it could not record is not counted as acknowledged;
// see audit.Multi) and the handler the API port serves at /metrics (nil
// unless Config.MetricsOnAPI). It sets MetricsHandler when /metrics has its
// own address.
func (n *Node) wireAudit(ctx context.Context, testLog io.Writer) (audit.Sink, http.Handler, error) {
	w, err := openTrail(ctx, n.Config, n.Root, testLog)
	if err != nil {
		return nil, nil, fmt.Errorf("server: audit trail: %w", err)
	}
	n.Trail = w
	sinks := audit.Multi{trail.NewSink(w, n.Config.Audit.OnFailure == "serve", n.log)}
	if n.log.Enabled(ctx, slog.LevelDebug) {
		sinks = append(sinks, audit.Debug{Logger: n.log})
	}
	h, err := n.buildMetrics()
	if err != nil || n.Metrics == nil {
		return sinks, nil, err
	}
	sinks = append(sinks, n.Metrics)
	if n.Config.MetricsListen != "" {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", h)
		n.MetricsHandler, h = mux, nil
	}
	return sinks, h, nil
}

// openTrail opens the destination cfg.Audit names, or a stream to testLog.
func openTrail(ctx context.Context, cfg config.Config, root trail.Wrapper, testLog io.Writer) (*trail.Writer, error) {
	switch {
	case testLog != nil:
		return trail.OpenStream(ctx, testLog, root)
	case cfg.Audit.Destination == "stdout":
		return trail.OpenStream(ctx, os.Stdout, root)
	case cfg.Audit.Destination == "syslog":
		return trail.OpenSyslog(ctx, "", "", root)
	}
	return trail.OpenFile(ctx, cfg.AuditFile(), int64(cfg.Audit.MaxFileBytes), root)
}

// buildMetrics sets Metrics, instrumenting the caches, the store and the
// jobs, and returns the handler serving it, behind the bearer token of
// Config.MetricsTokenFile when there is one; nothing when /metrics is
// served nowhere (docs/operations.md says what it shows).
func (n *Node) buildMetrics() (http.Handler, error) {
	cfg := n.Config
	if !cfg.MetricsServed() {
		return nil, nil
	}
	var actions []string
	for _, o := range op.All() {
		actions = append(actions, string(o.Name))
	}
	reasons := make([]string, len(auth.Failures))
	for i, f := range auth.Failures {
		reasons[i] = string(f)
	}
	m := metrics.New(append(actions, "method-not-allowed"), reasons) // unknown paths count as "other"
	m.Cache("key", "Key lookups answered by the key cache or the store", n.Service.KeyCacheStats)
	m.Cache("credential", "Access key lookups answered by the credential cache or the store", n.IAM.CredentialCacheStats)
	if s, ok := n.Store.(interface {
		DB() *sql.DB
		ObserveUpdates(func(time.Duration))
	}); ok {
		m.DBPool(s.DB())
		s.ObserveUpdates(m.StoreTransaction)
	}
	m.Trail(n.Trail.Stats)
	n.Metrics = m
	if cfg.MetricsTokenFile == "" {
		return m.Handler(), nil
	}
	b, err := os.ReadFile(cfg.MetricsTokenFile)
	if err != nil {
		return nil, fmt.Errorf("server: metrics token: %w", err)
	}
	token := strings.TrimSpace(string(b))
	if token == "" {
		return nil, fmt.Errorf("server: metrics token file %s is empty", cfg.MetricsTokenFile)
	}
	return metrics.RequireBearer(token, m.Handler()), nil
}

// readyProbe is what the readiness probe wraps under the root key.
var readyProbe = []byte("kmsd readiness probe")

// ready is the readiness check beyond the store (api.Deps.Ready): the root
// key wraps and unwraps, every migration is applied, and the audit trail's
// last batch was written.
func (n *Node) ready(ctx context.Context) error {
	blob, err := n.Root.Wrap(ctx, readyProbe, []byte("readyz"))
	if err == nil {
		var got []byte
		got, err = n.Root.Unwrap(ctx, blob, []byte("readyz"))
		if err == nil && !bytes.Equal(got, readyProbe) {
			err = errors.New("unwrap returned other bytes")
		}
	}
	if err != nil {
		return fmt.Errorf("the root key is not usable: %w", err)
	}
	if s, ok := n.Store.(interface{ CheckSchema(context.Context) error }); ok {
		if err := s.CheckSchema(ctx); err != nil {
			return err
		}
	}
	if err := n.Trail.Err(); err != nil {
		return fmt.Errorf("the audit trail cannot be written: %w", err)
	}
	return nil
}
