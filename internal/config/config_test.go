package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestSourcesOverlay(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kmsd.yaml")
	os.WriteFile(path, []byte("listen: 127.0.0.1:9000\nstore: postgres\npostgres: postgres://file\nbootstrap:\n  region: file-1\n"), 0o600)
	c := Default()
	if err := c.LoadFile(path); err != nil {
		t.Fatal(err)
	}
	if err := c.LoadEnv(env(map[string]string{"KMSD_POSTGRES_DSN": "postgres://env", "KMSD_JOB_INTERVAL": "2s", "KMSD_KEY_QUOTA": "7"})); err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:9000" || c.Postgres != "postgres://env" || c.Bootstrap.Region != "file-1" ||
		c.JobInterval != 2*time.Second || c.KeyQuota != 7 || c.DataDir != "kmsd-data" {
		t.Fatalf("overlay: %+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestValidate(t *testing.T) {
	for name, mutate := range map[string]func(*Config){
		"unknown store":     func(c *Config) { c.Store = "mysql" },
		"postgres sans DSN": func(c *Config) { c.Store = "postgres" },
		"bad root key":      func(c *Config) { c.RootKey = "vault" },
		"cert without key":  func(c *Config) { c.TLSCert = "c.pem" },
		"zero quota":        func(c *Config) { c.KeyQuota = 0 },
		"empty listen":      func(c *Config) { c.Listen = "" },
	} {
		t.Run(name, func(t *testing.T) {
			c := Default()
			mutate(&c)
			if err := c.Validate(); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}

func TestFileErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kmsd.yaml")
	os.WriteFile(path, []byte("listne: typo\n"), 0o600)
	c := Default()
	if err := c.LoadFile(path); err == nil || !strings.Contains(err.Error(), "listne") {
		t.Fatalf("unknown key: %v", err)
	}
	if err := c.LoadEnv(env(map[string]string{"KMSD_PRINT_ENV": "maybe"})); err == nil {
		t.Fatal("bad bool accepted")
	}
}

func TestLimitsDefaultsAndSources(t *testing.T) {
	c := Default()
	if c.Limits.MaxHeaderBytes != 8192 || c.Limits.MaxConnections != 1024 || c.Limits.ExpensiveOps < 1 ||
		c.Lockout != (Lockout{Failures: 5, Window: 15 * time.Minute, Duration: 15 * time.Minute}) {
		t.Fatalf("defaults: %+v %+v", c.Limits, c.Lockout)
	}
	path := filepath.Join(t.TempDir(), "kmsd.yaml")
	os.WriteFile(path, []byte("limits:\n  max_connections: 50\nlogin_lockout:\n  window: 30m\n"), 0o600)
	if err := c.LoadFile(path); err != nil {
		t.Fatal(err)
	}
	err := c.LoadEnv(env(map[string]string{"KMSD_EXPENSIVE_OPS": "3", "KMSD_LOGIN_FAILURES": "7",
		"KMSD_LOGIN_LOCKOUT": "1h", "KMSD_MAX_HEADER_BYTES": "4096"}))
	if err != nil {
		t.Fatal(err)
	}
	want := Limits{MaxHeaderBytes: 4096, MaxConnections: 50, ExpensiveOps: 3}
	if c.Limits != want || c.Lockout != (Lockout{Failures: 7, Window: 30 * time.Minute, Duration: time.Hour}) {
		t.Fatalf("overlay: %+v %+v", c.Limits, c.Lockout)
	}
	if err := c.LoadEnv(env(map[string]string{"KMSD_LOGIN_LOCKOUT": "forever"})); err == nil ||
		!strings.Contains(err.Error(), "KMSD_LOGIN_LOCKOUT") {
		t.Fatalf("bad duration: %v", err)
	}
	for name, mutate := range map[string]func(*Config){
		"tiny header limit": func(c *Config) { c.Limits.MaxHeaderBytes = 100 },
		"no connections":    func(c *Config) { c.Limits.MaxConnections = 0 },
		"no expensive ops":  func(c *Config) { c.Limits.ExpensiveOps = 0 },
		"no login failures": func(c *Config) { c.Lockout.Failures = 0 },
		"zero lockout":      func(c *Config) { c.Lockout.Duration = 0 },
		"short token ttl":   func(c *Config) { c.TokenTTL = time.Minute },
		"long token ttl":    func(c *Config) { c.TokenTTL = 25 * time.Hour },
		"negative window":   func(c *Config) { c.Lockout.Window = -time.Second },
	} {
		c := Default()
		mutate(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestPrintEnvDefaultsToFirstStartOnly: without a setting the client
// environment (with the secret key) is printed only by the start that
// created the bootstrap credential; KMSD_PRINT_ENV or print_env in the
// file force it on or off.
func TestPrintEnvDefaultsToFirstStartOnly(t *testing.T) {
	c := Default()
	if !c.ShouldPrintEnv(true) || c.ShouldPrintEnv(false) {
		t.Fatal("default: want printing on the creating start only")
	}
	for v, want := range map[string]bool{"true": true, "false": false} {
		c := Default()
		if err := c.LoadEnv(env(map[string]string{"KMSD_PRINT_ENV": v})); err != nil {
			t.Fatal(err)
		}
		if c.ShouldPrintEnv(true) != want || c.ShouldPrintEnv(false) != want {
			t.Fatalf("KMSD_PRINT_ENV=%s: want %v on every start", v, want)
		}
	}
	path := filepath.Join(t.TempDir(), "kmsd.yaml")
	os.WriteFile(path, []byte("print_env: false\n"), 0o600)
	c = Default()
	if err := c.LoadFile(path); err != nil {
		t.Fatal(err)
	}
	if c.ShouldPrintEnv(true) {
		t.Fatal("print_env: false in the file still prints on the first start")
	}
}

func TestMetricsSettings(t *testing.T) {
	c := Default()
	if c.MetricsServed() || c.MetricsOnAPI() {
		t.Fatal("/metrics served by default")
	}
	if err := c.LoadEnv(env(map[string]string{"KMSD_METRICS_TOKEN_FILE": "/etc/kmsd/metrics.token"})); err != nil {
		t.Fatal(err)
	}
	if !c.MetricsOnAPI() {
		t.Fatal("a token without an address: want /metrics on the API port")
	}
	if err := c.LoadEnv(env(map[string]string{"KMSD_METRICS_LISTEN": "127.0.0.1:9464"})); err != nil {
		t.Fatal(err)
	}
	if c.MetricsOnAPI() || !c.MetricsServed() || c.MetricsListen != "127.0.0.1:9464" {
		t.Fatalf("separate address: %+v", c)
	}
}

// TestDefaultKeyQuotaIsHuaweis: a project holds 20 customer master keys by
// default, as Huawei documents for KMS.
func TestDefaultKeyQuotaIsHuaweis(t *testing.T) {
	if q := Default().KeyQuota; q != 20 {
		t.Fatalf("default key quota %d, want 20", q)
	}
}
