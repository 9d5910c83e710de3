package bench

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
)

// Config is one kmsbench run.
type Config struct {
	URLs        []string // base URLs, e.g. http://127.0.0.1:8080; workers are spread round-robin
	Cred        Credential
	Op          string         // one of the Op* constants
	Size        int            // plaintext bytes (encrypt/decrypt), data key bytes (create-datakey); 0 = default
	KeySpec     domain.KeySpec // key created at start; "" = the operation's default
	KeyID       string         // use this key instead of creating one
	Conns       int            // workers, each with one keep-alive connection
	Duration    time.Duration  // measured period
	Warmup      time.Duration  // unmeasured period before it
	MaxRequests uint64         // hard cap on requests sent, warm-up included
	Timeout     time.Duration  // per request
	Limit       int            // list-keys page size
	Depth       int            // list-keys: keys before the page
}

// Limits of a run, so that it always ends by itself.
const (
	maxConns       = 1024
	maxDuration    = time.Hour
	maxRequestsCap = 100_000_000
)

// DefaultConfig returns the defaults of the command-line flags.
func DefaultConfig() Config {
	return Config{Op: OpEncryptData, Conns: 8, Duration: 10 * time.Second, Warmup: 2 * time.Second,
		MaxRequests: 10_000_000, Timeout: 10 * time.Second, Limit: 10}
}

// Normalize fills defaults (key spec, size), cleans the URLs and checks
// every field. It returns the first problem found.
func (c *Config) Normalize() error {
	spec, ok := ops[c.Op]
	if !ok {
		return fmt.Errorf("--op %q: want one of %s", c.Op, strings.Join(OpNames(), ", "))
	}
	if err := c.normalizeURLs(); err != nil {
		return err
	}
	if c.Cred.AK == "" || c.Cred.SK == "" || c.Cred.Project == "" {
		return errors.New("--ak, --sk and --project are required (or HUAWEICLOUD_SDK_AK, _SK, _PROJECT_ID)")
	}
	if c.KeySpec == "" {
		c.KeySpec = spec.defaultSpec
	}
	if !slices.Contains(spec.specs, c.KeySpec) {
		return fmt.Errorf("--key-spec %s does not work with %s", c.KeySpec, c.Op)
	}
	if err := c.normalizeSize(); err != nil {
		return err
	}
	return c.checkBounds()
}

func (c *Config) normalizeURLs() error {
	if len(c.URLs) == 0 {
		return errors.New("--url is required")
	}
	for i, raw := range c.URLs {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
			u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return fmt.Errorf("--url %q: want http(s)://host:port", raw)
		}
		c.URLs[i] = strings.TrimSuffix(raw, "/")
	}
	return nil
}

// normalizeSize applies the per-operation default and range of --size.
func (c *Config) normalizeSize() error {
	lo, hi, def := 1, 4096, 512 // plain_text is 1-4096 bytes
	switch c.Op {
	case OpCreateDatakey:
		lo, hi, def = 1, 1024, 32 // datakey_length is 8-8192 bits
	case OpEncryptData, OpDecryptData:
	default:
		c.Size = 0 // the other operations have no payload
		return nil
	}
	if c.Size == 0 {
		c.Size = def
	}
	if c.Size < lo || c.Size > hi {
		return fmt.Errorf("--size %d: %s takes %d-%d bytes", c.Size, c.Op, lo, hi)
	}
	return nil
}

func (c *Config) checkBounds() error {
	switch {
	case c.Conns < 1 || c.Conns > maxConns:
		return fmt.Errorf("--conns %d: want 1-%d", c.Conns, maxConns)
	case c.Duration <= 0 || c.Duration > maxDuration:
		return fmt.Errorf("--duration %v: want more than 0 and at most %v", c.Duration, maxDuration)
	case c.Warmup < 0 || c.Warmup > maxDuration:
		return fmt.Errorf("--warmup %v: want 0 to %v", c.Warmup, maxDuration)
	case c.MaxRequests < 1 || c.MaxRequests > maxRequestsCap:
		return fmt.Errorf("--max-requests %d: want 1-%d", c.MaxRequests, maxRequestsCap)
	case c.Timeout <= 0 || c.Timeout > time.Minute:
		return fmt.Errorf("--timeout %v: want more than 0 and at most 1m", c.Timeout)
	case c.KeyID != "" && !ops[c.Op].needsKey:
		return fmt.Errorf("--key-id: %s uses no existing key", c.Op)
	case c.Op == OpListKeys && (c.Limit < 1 || c.Limit > 2000):
		return fmt.Errorf("--limit %d: want 1-2000", c.Limit)
	case c.Depth < 0:
		return fmt.Errorf("--depth %d: want 0 or more", c.Depth)
	case c.Depth > 0 && c.Op != OpListKeys:
		return fmt.Errorf("--depth: only for %s", OpListKeys)
	}
	return nil
}
