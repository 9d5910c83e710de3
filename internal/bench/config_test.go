package bench

import (
	"strings"
	"testing"
	"time"
)

func validConfig() Config {
	c := DefaultConfig()
	c.URLs = []string{"http://127.0.0.1:8080/"}
	c.Cred = testCred
	return c
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		name    string
		change  func(*Config)
		wantErr string // substring; "" = valid
		check   func(*testing.T, Config)
	}{
		{name: "defaults", change: func(*Config) {}, check: func(t *testing.T, c Config) {
			if c.KeySpec != "AES_256" || c.Size != 512 || c.URLs[0] != "http://127.0.0.1:8080" {
				t.Errorf("got spec %s size %d url %s", c.KeySpec, c.Size, c.URLs[0])
			}
		}},
		{name: "sign defaults to EC_P256 without size", change: func(c *Config) { c.Op = OpSign; c.Size = 99 },
			check: func(t *testing.T, c Config) {
				if c.KeySpec != "EC_P256" || c.Size != 0 {
					t.Errorf("got spec %s size %d", c.KeySpec, c.Size)
				}
			}},
		{name: "create-datakey default 32 bytes", change: func(c *Config) { c.Op = OpCreateDatakey },
			check: func(t *testing.T, c Config) {
				if c.Size != 32 {
					t.Errorf("size %d", c.Size)
				}
			}},
		{name: "unknown op", change: func(c *Config) { c.Op = "frobnicate" }, wantErr: "--op"},
		{name: "no url", change: func(c *Config) { c.URLs = nil }, wantErr: "--url is required"},
		{name: "url without scheme", change: func(c *Config) { c.URLs = []string{"127.0.0.1:80"} }, wantErr: "--url"},
		{name: "url with query", change: func(c *Config) { c.URLs = []string{"http://h:1/?a=b"} }, wantErr: "--url"},
		{name: "ftp url", change: func(c *Config) { c.URLs = []string{"ftp://h:1"} }, wantErr: "--url"},
		{name: "missing sk", change: func(c *Config) { c.Cred.SK = "" }, wantErr: "--sk"},
		{name: "sign with AES key", change: func(c *Config) { c.Op = OpSign; c.KeySpec = "AES_256" }, wantErr: "--key-spec"},
		{name: "encrypt with EC key", change: func(c *Config) { c.KeySpec = "EC_P256" }, wantErr: "--key-spec"},
		{name: "plaintext too big", change: func(c *Config) { c.Size = 4097 }, wantErr: "--size"},
		{name: "data key too big", change: func(c *Config) { c.Op = OpCreateDatakey; c.Size = 1025 }, wantErr: "--size"},
		{name: "zero conns", change: func(c *Config) { c.Conns = 0 }, wantErr: "--conns"},
		{name: "endless duration", change: func(c *Config) { c.Duration = 0 }, wantErr: "--duration"},
		{name: "too long duration", change: func(c *Config) { c.Duration = 2 * time.Hour }, wantErr: "--duration"},
		{name: "negative warmup", change: func(c *Config) { c.Warmup = -time.Second }, wantErr: "--warmup"},
		{name: "unbounded requests", change: func(c *Config) { c.MaxRequests = 0 }, wantErr: "--max-requests"},
		{name: "key id for create-key", change: func(c *Config) { c.Op = OpCreateKey; c.KeyID = "x" }, wantErr: "--key-id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := validConfig()
			tc.change(&c)
			err := c.Normalize()
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Normalize: %v", err)
				}
				tc.check(t, c)
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Normalize = %v, want an error about %s", err, tc.wantErr)
			}
		})
	}
}

func TestURLFlagSplitsCommas(t *testing.T) {
	var u urlList
	u.Set("http://a:1, http://b:2")
	u.Set("http://c:3")
	if got := u.String(); got != "http://a:1,http://b:2,http://c:3" {
		t.Fatalf("urls %q", got)
	}
}
