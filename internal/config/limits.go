package config

import (
	"errors"
	"runtime"
	"time"
)

// Limits bound what one node spends on clients that abuse it
// (docs/security.md §3). Each is per node; the settings table
// (settings.go) says what each bounds.
type Limits struct {
	MaxHeaderBytes int `yaml:"max_header_bytes"`
	MaxConnections int `yaml:"max_connections"`
	ExpensiveOps   int `yaml:"expensive_ops"` // RSA key generations and password hashes
}

// Lockout is the password login lockout policy, in Huawei IAM's shape
// (docs/security.md §4): Failures wrong passwords for one user within
// Window lock the user out of password login for Duration.
type Lockout struct {
	Failures int           `yaml:"failures"`
	Window   time.Duration `yaml:"window"`
	Duration time.Duration `yaml:"duration"`
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
