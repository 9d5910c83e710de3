// Package config holds kmsd's server configuration and how it is assembled:
// built-in defaults, then an optional YAML file, then KMSD_* environment
// variables, then command-line flags (each later source wins). Validate
// checks the result before anything is opened.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Config is the complete server configuration.
type Config struct {
	Listen   string `yaml:"listen"`   // KMSD_LISTEN, --listen
	DataDir  string `yaml:"data_dir"` // KMSD_DATA, --data
	Store    string `yaml:"store"`    // "sqlite" (default) or "postgres"; KMSD_STORE, --store
	Postgres string `yaml:"postgres"` // DSN; KMSD_POSTGRES_DSN, --postgres-dsn
	RootKey  string `yaml:"root_key"` // "file" (default) or a pkcs11: URI; KMSD_ROOT_KEY, --root-key
	TLSCert  string `yaml:"tls_cert"` // KMSD_TLS_CERT, --tls-cert
	TLSKey   string `yaml:"tls_key"`  // KMSD_TLS_KEY, --tls-key
	Seed     string `yaml:"seed"`     // seed file; KMSD_SEED, --seed
	// PrintEnv says whether kmsd serve prints the client environment, which
	// holds the bootstrap secret key, to stdout: true always, false never,
	// nil (the default) only on the start that created the bootstrap
	// credential. KMSD_PRINT_ENV, --print-env.
	PrintEnv *bool `yaml:"print_env"`
	// MetricsListen is the address /metrics is served on, alone; the API
	// port then does not serve it. KMSD_METRICS_LISTEN, --metrics-listen.
	MetricsListen string `yaml:"metrics_listen"`
	// MetricsTokenFile holds a bearer token that /metrics requests must
	// present. Set without MetricsListen, /metrics is served on the API
	// port behind it; with neither, /metrics is not served at all.
	// KMSD_METRICS_TOKEN_FILE, --metrics-token-file.
	MetricsTokenFile string `yaml:"metrics_token_file"`

	JobInterval time.Duration `yaml:"job_interval"` // KMSD_JOB_INTERVAL, --job-interval
	KeyQuota    int           `yaml:"key_quota"`    // CMKs per project; KMSD_KEY_QUOTA
	GrantQuota  int           `yaml:"grant_quota"`  // grants per key; KMSD_GRANT_QUOTA

	// ReplayGuard is "off" (default: a signed request may be repeated inside
	// its ±15 min window, as on Huawei Cloud), "writes" (each signed request
	// that changes state is admitted once per node) or "all" (every signed
	// request). KMSD_REPLAY_GUARD, --replay-guard.
	ReplayGuard string `yaml:"replay_guard"`
	// ReplayGuardCapacity bounds the requests a node remembers (about 100
	// bytes each); when full, guarded requests answer 503 until entries
	// expire. KMSD_REPLAY_GUARD_CAPACITY.
	ReplayGuardCapacity int `yaml:"replay_guard_capacity"`

	Limits  Limits  `yaml:"limits"`        // front door and expensive operations (limits.go)
	Lockout Lockout `yaml:"login_lockout"` // password login lockout (limits.go)

	Bootstrap Bootstrap `yaml:"bootstrap"`
}

// Bootstrap fixes the identities created on first start (KMSD_REGION,
// KMSD_BOOTSTRAP_*). Empty values are generated.
type Bootstrap struct {
	Region    string `yaml:"region"`
	Domain    string `yaml:"domain"`
	User      string `yaml:"user"`
	Password  string `yaml:"password"`
	ProjectID string `yaml:"project_id"`
	AccessKey string `yaml:"access_key"`
	SecretKey string `yaml:"secret_key"`
}

// Default returns the built-in defaults: an embedded SQLite store in
// ./kmsd-data, a software root key, and 127.0.0.1:8080.
func Default() Config {
	return Config{
		Listen: "127.0.0.1:8080", DataDir: "kmsd-data", Store: "sqlite", RootKey: "file",
		JobInterval: 30 * time.Second, KeyQuota: 100, GrantQuota: 100,
		ReplayGuard: "off", ReplayGuardCapacity: 100_000,
		Limits: defaultLimits(), Lockout: defaultLockout(),
		Bootstrap: Bootstrap{Region: "local-1", Domain: "admin", User: "admin"},
	}
}

// LoadFile overlays the YAML file at path onto c. Unknown keys are errors.
func (c *Config) LoadFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	dec := yaml.NewDecoder(f)
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil {
		return fmt.Errorf("config: %s: %w", path, err)
	}
	return nil
}

// Validate checks c and fills derived defaults.
func (c *Config) Validate() error {
	var errs []error
	if c.Listen == "" {
		errs = append(errs, errors.New("listen address is empty"))
	}
	switch c.Store {
	case "sqlite":
		if c.DataDir == "" {
			errs = append(errs, errors.New("the sqlite store needs a data directory"))
		}
	case "postgres":
		if c.Postgres == "" {
			errs = append(errs, errors.New("store postgres needs --postgres-dsn / KMSD_POSTGRES_DSN"))
		}
	default:
		errs = append(errs, fmt.Errorf("unknown store %q (want sqlite or postgres)", c.Store))
	}
	if c.RootKey != "file" && !strings.HasPrefix(c.RootKey, "pkcs11:") {
		errs = append(errs, fmt.Errorf("root key %q: want \"file\" or a pkcs11: URI", c.RootKey))
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		errs = append(errs, errors.New("--tls-cert and --tls-key go together"))
	}
	if c.JobInterval <= 0 || c.KeyQuota <= 0 || c.GrantQuota <= 0 {
		errs = append(errs, errors.New("job interval and quotas must be positive"))
	}
	switch c.ReplayGuard {
	case "off", "writes", "all":
	default:
		errs = append(errs, fmt.Errorf("replay guard %q: want off, writes or all", c.ReplayGuard))
	}
	if c.ReplayGuardCapacity <= 0 {
		errs = append(errs, errors.New("replay guard capacity must be positive"))
	}
	if err := c.validateLimits(); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	return nil
}

// ShouldPrintEnv reports whether kmsd serve prints the client environment
// (with the bootstrap secret key) on a start that did or did not create
// the bootstrap credential: as PrintEnv says when it is set, otherwise only
// when created, so that restarts under systemd, Kubernetes or CI do not
// write the secret into their logs.
func (c *Config) ShouldPrintEnv(created bool) bool {
	if c.PrintEnv != nil {
		return *c.PrintEnv
	}
	return created
}

// MetricsOnAPI reports whether the API port serves /metrics: only when a
// token protects it and no separate metrics address is set.
func (c *Config) MetricsOnAPI() bool { return c.MetricsListen == "" && c.MetricsTokenFile != "" }

// MetricsServed reports whether /metrics is served anywhere.
func (c *Config) MetricsServed() bool { return c.MetricsListen != "" || c.MetricsTokenFile != "" }

// SQLitePath is the database file of the embedded store.
func (c *Config) SQLitePath() string { return filepath.Join(c.DataDir, "kmsd.db") }
