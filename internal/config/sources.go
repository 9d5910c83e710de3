package config

import (
	"fmt"
	"os"
)

// FileFlag and FileEnv name the flag and the environment variable that
// point at the YAML configuration file.
const (
	FileFlag = "config"
	FileEnv  = "KMSD_CONFIG"
)

// Assemble builds the configuration from its sources, each overriding the
// one before: Default(), the YAML file at path (or at $KMSD_CONFIG when path
// is empty; none when both are), the KMSD_* environment variables, then
// flags, which maps the name of each flag given on the command line to its
// text. lookup is os.LookupEnv in production. The result is not validated.
func Assemble(path string, lookup func(string) (string, bool), flags map[string]string) (Config, error) {
	if lookup == nil {
		lookup = os.LookupEnv
	}
	c := Default()
	if path == "" {
		path, _ = lookup(FileEnv)
	}
	if path != "" {
		if err := c.LoadFile(path); err != nil {
			return c, err
		}
	}
	if err := c.LoadEnv(lookup); err != nil {
		return c, err
	}
	return c, c.loadFlags(flags)
}

// LoadEnv overlays the KMSD_* environment variables of the settings table
// onto c. lookup is os.LookupEnv in production.
func (c *Config) LoadEnv(lookup func(string) (string, bool)) error {
	if lookup == nil {
		lookup = os.LookupEnv
	}
	for _, s := range table {
		if v, ok := lookup(s.Env); ok {
			if err := s.Set(c, v); err != nil {
				return fmt.Errorf("config: %s: %w", s.Env, err)
			}
		}
	}
	return nil
}

// loadFlags overlays the flags given (name → text) onto c, in table order.
func (c *Config) loadFlags(given map[string]string) error {
	applied := 0
	for _, s := range table {
		v, ok := given[s.Flag]
		if !ok || s.Flag == "" {
			continue
		}
		if err := s.Set(c, v); err != nil {
			return fmt.Errorf("--%s: %w", s.Flag, err)
		}
		applied++
	}
	if applied != len(given) {
		return fmt.Errorf("config: flags %v include one no setting has", given)
	}
	return nil
}
