package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"

	"github.com/kmsd/kmsd/internal/audit"
	"github.com/kmsd/kmsd/internal/config"
	"github.com/kmsd/kmsd/internal/server"
)

// serveFlags returns the flag set of "kmsd serve": every setting with a
// flag, and --config.
func serveFlags(env Env) (*flag.FlagSet, func() (config.Config, error)) {
	fs := newFlagSet("kmsd serve", env)
	return fs, configFlags(fs, env, config.Settings())
}

func serve(ctx context.Context, args []string, env Env) error {
	fs, load := serveFlags(env)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		if _, err := strconv.ParseBool(fs.Arg(0)); err == nil {
			return fmt.Errorf("kmsd serve takes no arguments, got %q: write --print-env=%s", fs.Arg(0), fs.Arg(0))
		}
		return fmt.Errorf("kmsd serve takes no arguments, got %q", fs.Arg(0))
	}
	cfg, err := load()
	if err != nil {
		return err
	}
	return runNode(ctx, cfg, env)
}

func runNode(ctx context.Context, cfg config.Config, env Env) error {
	config.TuneGC(env.Lookup)
	logs := audit.NewBatchWriter(env.Stderr) // one write per batch of log lines
	defer logs.Close()
	logger := newLogger(cfg, logs)
	ls, err := listen(cfg) // first: a port in use must not leave a new data directory behind
	if err != nil {
		return err
	}
	node, err := server.Open(ctx, cfg, server.Options{Logger: logger})
	if err != nil {
		for _, l := range ls {
			l.Close()
		}
		return err
	}
	base := baseURL(cfg, ls[0])
	logger.Info("kmsd listening", "url", base, "store", cfg.Store, "region", node.Bootstrap.Region)
	if len(ls) > 1 {
		logger.Info("kmsd metrics listening", "url", baseURL(cfg, ls[1])+"/metrics")
	}
	if cfg.ShouldPrintEnv(node.Bootstrap.CredentialCreated) {
		fmt.Fprintf(env.Stdout, "# kmsd is listening on %s. Point the Huawei Cloud SDK and sops at it:\n", base)
		node.PrintEnv(env.Stdout, base)
	}
	return serveUntilDone(ctx, node, ls)
}

// listen opens the API listener and, when configured, the metrics one.
func listen(cfg config.Config) ([]net.Listener, error) {
	l, err := net.Listen("tcp", cfg.Listen)
	if err != nil || cfg.MetricsListen == "" {
		return []net.Listener{l}, err
	}
	ml, err := net.Listen("tcp", cfg.MetricsListen)
	if err != nil {
		l.Close()
		return nil, fmt.Errorf("metrics: %w", err)
	}
	return []net.Listener{l, ml}, nil
}

func baseURL(cfg config.Config, l net.Listener) string {
	if cfg.TLSCert != "" {
		return "https://" + l.Addr().String()
	}
	return "http://" + l.Addr().String()
}

// serveUntilDone serves the API on ls[0] and /metrics on ls[1], if given,
// until ctx ends (SIGINT, SIGTERM) or serving fails, and returns once the
// node is closed.
func serveUntilDone(ctx context.Context, node *server.Node, ls []net.Listener) error {
	served := make(chan error, len(ls))
	go func() { served <- node.Serve(ls[0]) }()
	if len(ls) > 1 {
		go func() { served <- node.ServeMetrics(ls[1]) }()
	}
	var errs []error
	select {
	case <-ctx.Done():
	case err := <-served:
		errs = append(errs, err)
		ls = ls[1:]
	}
	errs = append(errs, node.Close())
	for range ls {
		errs = append(errs, <-served)
	}
	return errors.Join(errs...)
}

// newLogger is the operational log cfg asks for (log_level, log_format).
func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(cfg.LogLevel)) // validated: debug, info, warn, error
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}
