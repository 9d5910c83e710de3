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

// OpenRootKey opens the root key cfg selects: the software key file in the
// data directory (created on first start), or a PKCS#11 token.
func OpenRootKey(cfg config.Config) (rootkey.RootKey, error) {
	if cfg.RootKey != "file" {
		return rootkey.Open(rootkey.Config{Kind: "pkcs11", PKCS11URI: cfg.RootKey})
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("server: data dir: %w", err)
	}
	return rootkey.Open(rootkey.Config{Kind: "file", Dir: cfg.DataDir})
}
