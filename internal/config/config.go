// Package config holds kmsd's server configuration and how it is assembled:
// built-in defaults, then an optional YAML file, then KMSD_* environment
// variables, then command-line flags (each later source wins; Assemble).
// Every setting is one entry of the settings table (settings.go), from
// which the defaults, the environment and flag loading, "kmsd serve -h" and
// docs/configuration.md derive. Validate checks the result before anything
// is opened.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/kmsd/kmsd/internal/domain"
)

// Config is the complete server configuration. What each field means, its
// YAML key, environment variable, flag and default are in the settings
// table (settings.go), from which docs/configuration.md is generated; every
// field has an entry there.
type Config struct {
	Listen   string `yaml:"listen"`
	DataDir  string `yaml:"data_dir"`
	Store    string `yaml:"store"` // "sqlite" or "postgres"
	Postgres string `yaml:"postgres"`
	RootKey  string `yaml:"root_key"` // "file", "file:DIR" or a pkcs11: URI
	// RootKeyPrevious is the root key being rotated away from ("" when no
	// rotation runs): it only unwraps.
	RootKeyPrevious string `yaml:"root_key_previous"`
	TLSCert         string `yaml:"tls_cert"`
	TLSKey          string `yaml:"tls_key"`
	Seed            string `yaml:"seed"`
	// PrintEnv is true (always print the client environment), false (never)
	// or nil (only on the start that created the bootstrap credential): see
	// ShouldPrintEnv.
	PrintEnv         *bool  `yaml:"print_env"`
	MetricsListen    string `yaml:"metrics_listen"`
	MetricsTokenFile string `yaml:"metrics_token_file"`

	JobInterval time.Duration `yaml:"job_interval"`
	KeyQuota    int           `yaml:"key_quota"`
	GrantQuota  int           `yaml:"grant_quota"`

	// Strict refuses unknown request fields instead of ignoring them.
	Strict bool `yaml:"strict"`

	ReplayGuard         string `yaml:"replay_guard"` // "off", "writes" or "all"
	ReplayGuardCapacity int    `yaml:"replay_guard_capacity"`

	LogLevel  string `yaml:"log_level"`  // debug, info, warn or error
	LogFormat string `yaml:"log_format"` // json or text
	Audit     Audit  `yaml:"audit"`      // the audit trail (audit.go)

	Limits  Limits  `yaml:"limits"`        // front door and expensive operations (limits.go)
	Lockout Lockout `yaml:"login_lockout"` // password login lockout (limits.go)
	// TokenTTL is how long an IAM token is valid after issue.
	TokenTTL time.Duration `yaml:"token_ttl"`

	Bootstrap Bootstrap `yaml:"bootstrap"`
}

// Bootstrap fixes the identities created on first start. Empty values are
// generated.
type Bootstrap struct {
	Region    string `yaml:"region"`
	Domain    string `yaml:"domain"`
	User      string `yaml:"user"`
	Password  string `yaml:"password"`
	ProjectID string `yaml:"project_id"`
	AccessKey string `yaml:"access_key"`
	SecretKey string `yaml:"secret_key"`
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
	if err := checkRootKey(c.RootKey); err != nil {
		errs = append(errs, fmt.Errorf("root key %w", err))
	}
	if c.RootKeyPrevious != "" {
		if err := checkRootKey(c.RootKeyPrevious); err != nil {
			errs = append(errs, fmt.Errorf("previous root key %w", err))
		} else if c.RootKeyPrevious == c.RootKey {
			errs = append(errs, errors.New("the previous root key is the root key"))
		}
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
	if c.TokenTTL < 15*time.Minute || c.TokenTTL > 24*time.Hour {
		errs = append(errs, errors.New("token TTL must be from 15m to 24h"))
	}
	if c.ReplayGuardCapacity <= 0 {
		errs = append(errs, errors.New("replay guard capacity must be positive"))
	}
	if c.Bootstrap.Region != "" {
		if err := domain.CheckProjectName(c.Bootstrap.Region); err != nil {
			errs = append(errs, fmt.Errorf("region: %w", err))
		}
	}
	if err := c.validateLogs(); err != nil {
		errs = append(errs, err)
	}
	if err := c.validateLimits(); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	return nil
}

// checkRootKey checks a root key setting: "file", "file:" and an absolute
// directory, or a pkcs11: URI.
func checkRootKey(v string) error {
	switch {
	case v == "file", strings.HasPrefix(v, "pkcs11:"):
		return nil
	case strings.HasPrefix(v, "file:") && filepath.IsAbs(strings.TrimPrefix(v, "file:")):
		return nil
	}
	return fmt.Errorf("%q: want \"file\", \"file:/absolute/dir\" or a pkcs11: URI", v)
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
