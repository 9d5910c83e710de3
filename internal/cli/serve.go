package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strconv"

	"github.com/kmsd/kmsd/internal/audit"
	"github.com/kmsd/kmsd/internal/config"
	"github.com/kmsd/kmsd/internal/server"
)

var serveFlags = append([]stringFlag{
	{name: "listen", usage: "listen address (KMSD_LISTEN; default 127.0.0.1:8080)",
		field: func(c *config.Config) *string { return &c.Listen }},
	{name: "seed", usage: "YAML seed file applied at start, idempotently (KMSD_SEED); see docs/seeding.md",
		field: func(c *config.Config) *string { return &c.Seed }},
	{name: "tls-cert", usage: "TLS certificate file (KMSD_TLS_CERT)",
		field: func(c *config.Config) *string { return &c.TLSCert }},
	{name: "tls-key", usage: "TLS private key file (KMSD_TLS_KEY)",
		field: func(c *config.Config) *string { return &c.TLSKey }},
	{name: "replay-guard", usage: "admit each signed request once per node: off, writes or all (KMSD_REPLAY_GUARD; default off); see docs/security.md",
		field: func(c *config.Config) *string { return &c.ReplayGuard }},
}, settingFlags(config.LimitSettings())...)

func serve(ctx context.Context, args []string, env Env) error {
	fs := newFlagSet("kmsd serve", env)
	printEnv := fs.String("print-env", "", "print the client environment at start: true or false (KMSD_PRINT_ENV; default true)")
	load := configFlags(fs, env, serveFlags...)
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := load()
	if err != nil {
		return err
	}
	if *printEnv != "" {
		if cfg.PrintEnv, err = strconv.ParseBool(*printEnv); err != nil {
			return fmt.Errorf("--print-env: %w", err)
		}
	}
	return runNode(ctx, cfg, env)
}

func runNode(ctx context.Context, cfg config.Config, env Env) error {
	config.TuneGC(env.Lookup)
	logs := audit.NewBatchWriter(env.Stderr) // one write per batch of log lines
	defer logs.Close()
	logger := slog.New(slog.NewJSONHandler(logs, nil))
	node, err := server.Open(ctx, cfg, server.Options{Logger: logger, AuditLog: logs})
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		node.Close()
		return err
	}
	scheme := "http"
	if cfg.TLSCert != "" {
		scheme = "https"
	}
	base := scheme + "://" + l.Addr().String()
	logger.Info("kmsd listening", "url", base, "store", cfg.Store, "region", node.Bootstrap.Region)
	if cfg.PrintEnv {
		fmt.Fprintf(env.Stdout, "# kmsd is listening on %s. Point the Huawei Cloud SDK and sops at it:\n", base)
		node.PrintEnv(env.Stdout, base)
	}
	go func() {
		<-ctx.Done()
		node.Close()
	}()
	return node.Serve(l)
}
