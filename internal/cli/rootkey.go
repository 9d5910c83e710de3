package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/kmsd/kmsd/internal/config"
	"github.com/kmsd/kmsd/internal/rewrap"
	"github.com/kmsd/kmsd/internal/rootkey"
	"github.com/kmsd/kmsd/internal/server"
	"github.com/kmsd/kmsd/internal/store"
)

// rootkeyCreate is "kmsd rootkey create DIR": a new file root key DIR/root.key
// (kept if it exists), whose id it prints.
func rootkeyCreate(args []string, env Env) error {
	if len(args) != 1 || args[0] == "" || args[0][0] == '-' {
		return errors.New("rootkey create takes one DIR")
	}
	rk, err := rootkey.OpenFile(args[0])
	if err != nil {
		return err
	}
	defer rk.Close()
	fmt.Fprintln(env.Stdout, rk.ID())
	return nil
}

// rootkeyRotate is "kmsd rootkey rotate": re-wrap every secret of the store
// from --root-key-previous to --root-key while the nodes keep serving.
func rootkeyRotate(ctx context.Context, args []string, env Env) error {
	fs := newFlagSet("kmsd rootkey rotate", env)
	lease := fs.Duration("lease", 30*time.Second, "how long the job stays claimed without progress before another process may take it over")
	batch := fs.Int("batch", 100, "secrets re-wrapped per transaction")
	load := configFlags(fs, env, shared(config.Settings()))
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := load()
	if err != nil {
		return err
	}
	if cfg.RootKeyPrevious == "" {
		return errors.New("rootkey rotate re-wraps from --root-key-previous to --root-key: set both")
	}
	// The two keys are opened apart: Rotate needs each on its own.
	curCfg, prevCfg := cfg, cfg
	curCfg.RootKeyPrevious, prevCfg.RootKey, prevCfg.RootKeyPrevious = "", cfg.RootKeyPrevious, ""
	cur, err := server.OpenExistingRootKey(curCfg)
	if err != nil {
		return fmt.Errorf("root key: %w", err)
	}
	defer cur.Close()
	prev, err := server.OpenExistingRootKey(prevCfg)
	if err != nil {
		return fmt.Errorf("previous root key: %w", err)
	}
	defer prev.Close()
	if cfg.Store == "sqlite" {
		if _, err := os.Stat(cfg.SQLitePath()); err != nil {
			return fmt.Errorf("rootkey rotate: no store: %w", err)
		}
	}
	st, err := server.OpenStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	host, _ := os.Hostname()
	job, err := rewrap.Rotate(ctx, st, cur, prev, rewrap.Options{
		Owner: fmt.Sprintf("%s:%d", host, os.Getpid()), Lease: *lease, Batch: *batch,
		Progress: func(j store.Rotation) {
			fmt.Fprintf(env.Stdout, "rotation %s -> %s: %d secrets re-wrapped\n", j.From, j.To, j.Rewrapped)
		},
		Waiting: func(j store.Rotation) {
			fmt.Fprintf(env.Stderr, "rotation %s -> %s is held by %s until %s; waiting\n", j.From, j.To, j.Owner, j.LeaseUntil.Format(time.RFC3339))
		},
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "rotation %s -> %s done: %d secrets re-wrapped since %s; nothing is wrapped under %s any more. "+
		"Remove root_key_previous from every node and restart them.\n", job.From, job.To, job.Rewrapped, job.StartedAt.Format(time.RFC3339), job.From)
	return nil
}
