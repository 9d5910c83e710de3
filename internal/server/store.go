package server

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/kmsd/kmsd/internal/config"
	"github.com/kmsd/kmsd/internal/rootkey"
	"github.com/kmsd/kmsd/internal/store"
	"github.com/kmsd/kmsd/internal/store/postgres"
	"github.com/kmsd/kmsd/internal/store/sqlite"
)

// OpenStore opens the store cfg selects (and creates the data directory for
// the embedded one).
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

// RegionEnvName is the region id as it appears in the SDK's
// HUAWEICLOUD_SDK_REGION_KMS_<REGION> variable: upper case, '-' as '_'.
func RegionEnvName(region string) string {
	return strings.ToUpper(strings.ReplaceAll(region, "-", "_"))
}

// OpenRootKey opens the root key cfg selects (see OpenRootKeySpec). With a
// previous root key configured it returns a [rootkey.Rotating] key: new
// secrets are wrapped under the root key, and secrets still wrapped under
// the previous one unwrap.
func OpenRootKey(cfg config.Config) (rootkey.RootKey, error) {
	cur, err := OpenRootKeySpec(cfg.RootKey, cfg.DataDir)
	if err != nil || cfg.RootKeyPrevious == "" {
		return cur, err
	}
	prev, err := OpenRootKeySpec(cfg.RootKeyPrevious, cfg.DataDir)
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

// OpenRootKeySpec opens one root key setting: "file" is the software key
// file in dataDir (created on first start), "file:DIR" an existing key file
// DIR/root.key (never created), anything else a PKCS#11 URI.
func OpenRootKeySpec(spec, dataDir string) (rootkey.RootKey, error) {
	if dir, ok := strings.CutPrefix(spec, "file:"); ok {
		return rootkey.OpenExistingFile(dir)
	}
	if spec != "file" {
		return rootkey.Open(rootkey.Config{Kind: "pkcs11", PKCS11URI: spec})
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("server: data dir: %w", err)
	}
	return rootkey.Open(rootkey.Config{Kind: "file", Dir: dataDir})
}

// OpenExistingRootKey is OpenRootKey for the commands that must not create
// a root key (backup, restore, rotation): "file" opens the key file of the
// data directory only if it exists.
func OpenExistingRootKey(cfg config.Config) (rootkey.RootKey, error) {
	existing := func(spec string) string {
		if spec == "file" {
			return "file:" + cfg.DataDir
		}
		return spec
	}
	cfg.RootKey = existing(cfg.RootKey)
	if cfg.RootKeyPrevious != "" {
		cfg.RootKeyPrevious = existing(cfg.RootKeyPrevious)
	}
	return OpenRootKey(cfg)
}
