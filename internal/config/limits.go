package config

import (
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"time"
)

// Limits bound what one node spends on clients that abuse it
// (docs/security.md §3). Each is per node.
type Limits struct {
	// MaxHeaderBytes bounds a request's header block; larger ones answer 431.
	MaxHeaderBytes int `yaml:"max_header_bytes"` // KMSD_MAX_HEADER_BYTES, --max-header-bytes
	// MaxConnections caps open client connections; further clients wait in
	// the accept backlog.
	MaxConnections int `yaml:"max_connections"` // KMSD_MAX_CONNECTIONS, --max-connections
	// ExpensiveOps bounds concurrent RSA key generations and password
	// hashes; beyond it requests answer 429 APIG.0308.
	ExpensiveOps int `yaml:"expensive_ops"` // KMSD_EXPENSIVE_OPS, --expensive-ops
}

// Lockout is the password login lockout policy, in Huawei IAM's shape
// (docs/security.md §4): Failures wrong passwords for one user within
// Window lock the user out of password login for Duration.
type Lockout struct {
	Failures int           `yaml:"failures"` // KMSD_LOGIN_FAILURES, --login-failures
	Window   time.Duration `yaml:"window"`   // KMSD_LOGIN_FAILURE_WINDOW, --login-failure-window
	Duration time.Duration `yaml:"duration"` // KMSD_LOGIN_LOCKOUT, --login-lockout
}

// Defaults of Limits and Lockout. The lockout defaults are Huawei IAM's
// (login authentication policy: 5 failures, counter reset after 15
// minutes, locked for 15 minutes).
const (
	DefaultMaxHeaderBytes = 8 << 10
	DefaultMaxConnections = 1024
	DefaultLoginFailures  = 5
	DefaultLoginWindow    = 15 * time.Minute
	DefaultLoginLockout   = 15 * time.Minute
)

// DefaultExpensiveOps is half the CPUs this process may use, at least 1, so
// that expensive operations leave the other half to the data plane.
func DefaultExpensiveOps() int { return max(1, runtime.GOMAXPROCS(0)/2) }

func defaultLimits() Limits {
	return Limits{MaxHeaderBytes: DefaultMaxHeaderBytes, MaxConnections: DefaultMaxConnections,
		ExpensiveOps: DefaultExpensiveOps()}
}

func defaultLockout() Lockout {
	return Lockout{Failures: DefaultLoginFailures, Window: DefaultLoginWindow, Duration: DefaultLoginLockout}
}

// Setting is a typed configuration value with an environment variable and
// a command-line flag.
type Setting struct {
	Env, Flag, Usage string
	set              func(c *Config, v string) error
}

// Apply parses v and stores it in c.
func (s Setting) Apply(c *Config, v string) error { return s.set(c, v) }

// LimitSettings are the settings of Limits and Lockout.
func LimitSettings() []Setting {
	return []Setting{
		intSetting("KMSD_MAX_HEADER_BYTES", "max-header-bytes", "largest request header block in bytes; larger answer 431 (default 8192)",
			func(c *Config) *int { return &c.Limits.MaxHeaderBytes }),
		intSetting("KMSD_MAX_CONNECTIONS", "max-connections", "most open client connections (default 1024)",
			func(c *Config) *int { return &c.Limits.MaxConnections }),
		intSetting("KMSD_EXPENSIVE_OPS", "expensive-ops", "concurrent RSA key generations and password hashes per node (default half the CPUs, at least 1)",
			func(c *Config) *int { return &c.Limits.ExpensiveOps }),
		intSetting("KMSD_LOGIN_FAILURES", "login-failures", "wrong passwords within the window that lock a user (default 5)",
			func(c *Config) *int { return &c.Lockout.Failures }),
		durationSetting("KMSD_LOGIN_FAILURE_WINDOW", "login-failure-window", "window counting wrong passwords (default 15m)",
			func(c *Config) *time.Duration { return &c.Lockout.Window }),
		durationSetting("KMSD_LOGIN_LOCKOUT", "login-lockout", "how long a locked user cannot log in with a password (default 15m)",
			func(c *Config) *time.Duration { return &c.Lockout.Duration }),
	}
}

func intSetting(env, flag, usage string, field func(*Config) *int) Setting {
	return Setting{Env: env, Flag: flag, Usage: usage + " (" + env + ")", set: func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err == nil {
			*field(c) = n
		}
		return err
	}}
}

func durationSetting(env, flag, usage string, field func(*Config) *time.Duration) Setting {
	return Setting{Env: env, Flag: flag, Usage: usage + " (" + env + ")", set: func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err == nil {
			*field(c) = d
		}
		return err
	}}
}

func (c *Config) loadLimitsEnv(lookup func(string) (string, bool)) error {
	for _, s := range LimitSettings() {
		if v, ok := lookup(s.Env); ok {
			if err := s.Apply(c, v); err != nil {
				return fmt.Errorf("config: %s: %w", s.Env, err)
			}
		}
	}
	return nil
}

func (c *Config) validateLimits() error {
	l, lo := c.Limits, c.Lockout
	if l.MaxHeaderBytes < 1024 {
		return errors.New("max header bytes must be at least 1024")
	}
	if l.MaxConnections < 1 || l.ExpensiveOps < 1 {
		return errors.New("max connections and expensive ops must be positive")
	}
	if lo.Failures < 1 || lo.Window <= 0 || lo.Duration <= 0 {
		return errors.New("login lockout failures, window and duration must be positive")
	}
	return nil
}
