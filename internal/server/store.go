package server

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/kmsd/kmsd/internal/config"
	"github.com/kmsd/kmsd/internal/rootkey"
	"github.com/kmsd/kmsd/internal/store"
	"github.com/kmsd/kmsd/internal/store/postgres"
	"github.com/kmsd/kmsd/internal/store/sqlite"
)

// ErrNoStore is returned by OpenExistingStore when cfg names a store that
// does not exist yet.
var ErrNoStore = errors.New("no kmsd store exists there")

// OpenStore opens the store cfg selects, creating it (and the data
// directory of the embedded one) when it does not exist.
func OpenStore(ctx context.Context, cfg config.Config) (store.Store, error) {
	switch cfg.Store {
	case "postgres":
		return postgres.Open(ctx, cfg.Postgres)
	case "sqlite":
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return nil, fmt.Errorf("server: data dir: %w", err)
		}
		return sqlite.Open(cfg.SQLitePath())
	}
	return nil, fmt.Errorf("server: unknown store %q", cfg.Store)
}

// OpenExistingStore opens the store cfg selects only if it exists: the
// SQLite database file is there, or the PostgreSQL database has been
// initialized by kmsd (Initialized). Otherwise it creates nothing and
// returns an error wrapping ErrNoStore, so that a mistyped --data or DSN
// does not silently start an empty store.
func OpenExistingStore(ctx context.Context, cfg config.Config) (store.Store, error) {
	if cfg.Store == "sqlite" {
		if _, err := os.Stat(cfg.SQLitePath()); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s is missing", ErrNoStore, cfg.SQLitePath())
		}
	}
	st, err := OpenStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	init, err := Initialized(ctx, st)
	if err == nil && !init {
		err = fmt.Errorf("%w: the database is empty", ErrNoStore)
	}
	if err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// RegionEnvName is the region id as it appears in the SDK's
// HUAWEICLOUD_SDK_REGION_KMS_<REGION> variable: upper case, '-' as '_'.
func RegionEnvName(region string) string {
	return strings.ToUpper(strings.ReplaceAll(region, "-", "_"))
}

// OpenRootKeySpec opens one root key setting: "file" is the software key
// file in dataDir, created unless mustExist; "file:DIR" an existing key file
// DIR/root.key (never created); anything else a PKCS#11 URI.
func OpenRootKeySpec(spec, dataDir string, mustExist bool) (rootkey.RootKey, error) {
	if dir, ok := strings.CutPrefix(spec, "file:"); ok {
		return rootkey.OpenExistingFile(dir)
	}
	if spec != "file" {
		return rootkey.Open(rootkey.Config{Kind: "pkcs11", PKCS11URI: spec})
	}
	if mustExist {
		return rootkey.OpenExistingFile(dataDir)
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("server: data dir: %w", err)
	}
	return rootkey.Open(rootkey.Config{Kind: "file", Dir: dataDir})
}

// openRootKeys opens the root key cfg selects and, with a previous root
// key configured, returns a [rootkey.Rotating] key: new secrets are wrapped
// under the root key, and secrets still wrapped under the previous one
// unwrap. The previous key must exist.
func openRootKeys(cfg config.Config, mustExist bool) (rootkey.RootKey, error) {
	cur, err := OpenRootKeySpec(cfg.RootKey, cfg.DataDir, mustExist)
	if err != nil || cfg.RootKeyPrevious == "" {
		return cur, err
	}
	prev, err := OpenRootKeySpec(cfg.RootKeyPrevious, cfg.DataDir, true)
	if err != nil {
		cur.Close()
		return nil, fmt.Errorf("previous root key: %w", err)
	}
	if prev.ID() == cur.ID() {
		cur.Close()
		prev.Close()
		return nil, fmt.Errorf("server: the previous root key %s is the root key", cur.ID())
	}
	return rootkey.Rotating(cur, prev), nil
}

// OpenExistingRootKey opens the root keys cfg selects for the commands that
// must not create one (backup, restore, rotation).
func OpenExistingRootKey(cfg config.Config) (rootkey.RootKey, error) {
	return openRootKeys(cfg, true)
}
