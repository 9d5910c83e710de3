package config

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

// LoadEnv overlays KMSD_* environment variables onto c. lookup is
// os.LookupEnv in production.
func (c *Config) LoadEnv(lookup func(string) (string, bool)) error {
	if lookup == nil {
		lookup = os.LookupEnv
	}
	strs := map[string]*string{
		"KMSD_LISTEN": &c.Listen, "KMSD_DATA": &c.DataDir, "KMSD_STORE": &c.Store,
		"KMSD_POSTGRES_DSN": &c.Postgres, "KMSD_ROOT_KEY": &c.RootKey,
		"KMSD_TLS_CERT": &c.TLSCert, "KMSD_TLS_KEY": &c.TLSKey, "KMSD_SEED": &c.Seed,
		"KMSD_METRICS_LISTEN": &c.MetricsListen, "KMSD_METRICS_TOKEN_FILE": &c.MetricsTokenFile,
		"KMSD_REGION": &c.Bootstrap.Region, "KMSD_BOOTSTRAP_DOMAIN": &c.Bootstrap.Domain,
		"KMSD_BOOTSTRAP_USER": &c.Bootstrap.User, "KMSD_BOOTSTRAP_PASSWORD": &c.Bootstrap.Password,
		"KMSD_BOOTSTRAP_PROJECT_ID": &c.Bootstrap.ProjectID,
		"KMSD_BOOTSTRAP_ACCESS_KEY": &c.Bootstrap.AccessKey,
		"KMSD_BOOTSTRAP_SECRET_KEY": &c.Bootstrap.SecretKey,
		"KMSD_REPLAY_GUARD":         &c.ReplayGuard,
	}
	for name, dst := range strs {
		if v, ok := lookup(name); ok {
			*dst = v
		}
	}
	if err := c.loadEnvTyped(lookup); err != nil {
		return err
	}
	return c.loadLimitsEnv(lookup)
}

func (c *Config) loadEnvTyped(lookup func(string) (string, bool)) error {
	if v, ok := lookup("KMSD_PRINT_ENV"); ok {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("config: KMSD_PRINT_ENV: %w", err)
		}
		c.PrintEnv = &b
	}
	if v, ok := lookup("KMSD_JOB_INTERVAL"); ok {
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("config: KMSD_JOB_INTERVAL: %w", err)
		}
		c.JobInterval = d
	}
	for name, dst := range map[string]*int{"KMSD_KEY_QUOTA": &c.KeyQuota, "KMSD_GRANT_QUOTA": &c.GrantQuota,
		"KMSD_REPLAY_GUARD_CAPACITY": &c.ReplayGuardCapacity} {
		if v, ok := lookup(name); ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				return fmt.Errorf("config: %s: %w", name, err)
			}
			*dst = n
		}
	}
	return nil
}
