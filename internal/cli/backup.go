package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/kmsd/kmsd/internal/backup"
	"github.com/kmsd/kmsd/internal/config"
	"github.com/kmsd/kmsd/internal/rewrap"
	"github.com/kmsd/kmsd/internal/rootkey"
	"github.com/kmsd/kmsd/internal/server"
)

// backupCmd is "kmsd backup --to FILE" (a snapshot of the embedded store,
// taken while nodes serve) and "kmsd backup --verify" (every secret of the
// configured store unwraps under the configured root key).
func backupCmd(ctx context.Context, args []string, env Env) error {
	fs := newFlagSet("kmsd backup", env)
	to := fs.String("to", "", "write a snapshot of the embedded (sqlite) store to FILE, atomically")
	verify := fs.Bool("verify", false, "check that every secret of the configured store (sqlite or postgres) unwraps under the configured root key")
	load := configFlags(fs, env, shared(config.Settings()))
	if err := fs.Parse(args); err != nil {
		return err
	}
	if (*to == "") == !*verify || fs.NArg() != 0 {
		return errors.New("backup takes either --to FILE or --verify")
	}
	cfg, err := load()
	if err != nil {
		return err
	}
	if !*verify && cfg.Store != "sqlite" {
		return errors.New("backup --to copies the embedded store; back PostgreSQL up with pg_dump or base backups and WAL archiving, then check a restore with kmsd backup --verify (docs/deploy.md)")
	}
	rk, err := server.OpenExistingRootKey(cfg)
	if err != nil {
		return fmt.Errorf("root key: %w", err)
	}
	defer rk.Close()
	if *verify {
		return verifyStore(ctx, cfg, rk, env)
	}
	if _, err := os.Stat(cfg.SQLitePath()); err != nil {
		return fmt.Errorf("backup: no store to back up: %w", err)
	}
	res, err := backup.Write(ctx, cfg.SQLitePath(), *to, rk, rootkey.PreviousID(rk))
	if err != nil {
		return err
	}
	return printJSON(env, struct {
		File string `json:"file"`
		backup.Result
	}{*to, res})
}

// verifyStore runs rewrap.Verify on the configured store.
func verifyStore(ctx context.Context, cfg config.Config, rk rootkey.RootKey, env Env) error {
	if cfg.Store == "sqlite" {
		if _, err := os.Stat(cfg.SQLitePath()); err != nil {
			return fmt.Errorf("backup: no store to verify: %w", err)
		}
	}
	st, err := server.OpenStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := rewrap.Verify(ctx, st, rk)
	if err != nil {
		return fmt.Errorf("backup --verify: %w", err)
	}
	return printJSON(env, struct {
		RootKeyID   string         `json:"root_key_id"`
		Versions    int            `json:"key_versions"`
		Credentials int            `json:"credentials"`
		Settings    int            `json:"settings"`
		RootKeys    map[string]int `json:"recorded_root_keys"`
	}{rk.ID(), rep.Versions, rep.Credentials, rep.Settings, rep.RootKeys})
}

// restoreCmd is "kmsd restore --from FILE --data DIR": it writes a
// snapshot's database into a new data directory that already holds the root
// key the snapshot belongs to.
func restoreCmd(ctx context.Context, args []string, env Env) error {
	fs := newFlagSet("kmsd restore", env)
	from := fs.String("from", "", "snapshot file written by kmsd backup --to (required)")
	load := configFlags(fs, env, shared(config.Settings()))
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" || fs.NArg() != 0 {
		return errors.New("restore takes --from FILE (and --data DIR)")
	}
	cfg, err := load()
	if err != nil {
		return err
	}
	if cfg.Store != "sqlite" {
		return errors.New("restore writes the embedded store; restore PostgreSQL with its own tools (docs/deploy.md)")
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return err
	}
	rk, err := server.OpenExistingRootKey(cfg)
	if err != nil {
		return fmt.Errorf("restore needs the root key the snapshot was taken with (a snapshot never holds it): %w", err)
	}
	defer rk.Close()
	prev := rootkey.PreviousID(rk)
	check := func(h backup.Header) error {
		if h.RootKeyID != rk.ID() || (h.PreviousRootKeyID != "" && h.PreviousRootKeyID != prev) {
			return fmt.Errorf("%w: it needs root key %s (previous %q), the configured one is %s (previous %q)",
				backup.ErrRootKey, h.RootKeyID, h.PreviousRootKeyID, rk.ID(), prev)
		}
		return nil
	}
	res, err := backup.Restore(*from, cfg.SQLitePath(), check,
		func(path string) error { return backup.Verify(ctx, path, rk) })
	if err != nil {
		return err
	}
	return printJSON(env, struct {
		Data string `json:"data_dir"`
		backup.Result
	}{cfg.DataDir, res})
}

func printJSON(env Env, v any) error {
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
