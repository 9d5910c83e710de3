package cli

import (
	"flag"
	"fmt"
	"strconv"

	"github.com/kmsd/kmsd/internal/config"
)

// stringFlag is a flag that overrides a config field when set: a string
// field, or through set a typed one.
type stringFlag struct {
	name, usage string
	field       func(*config.Config) *string
	set         func(*config.Config, string) error // instead of field
	value       string
}

// apply stores the flag's value in c.
func (f stringFlag) apply(c *config.Config) error {
	if f.set != nil {
		return f.set(c, f.value)
	}
	*f.field(c) = f.value
	return nil
}

// settingFlags turns typed settings into flags.
func settingFlags(settings []config.Setting) []stringFlag {
	out := make([]stringFlag, len(settings))
	for i, s := range settings {
		out[i] = stringFlag{name: s.Flag, usage: s.Usage, set: s.Apply}
	}
	return out
}

var sharedFlags = []stringFlag{
	{name: "data", usage: "data directory for the embedded store and the root key file (KMSD_DATA; default ./kmsd-data)",
		field: func(c *config.Config) *string { return &c.DataDir }},
	{name: "store", usage: "store backend: sqlite or postgres (KMSD_STORE; default sqlite)",
		field: func(c *config.Config) *string { return &c.Store }},
	{name: "postgres-dsn", usage: "PostgreSQL DSN for --store postgres (KMSD_POSTGRES_DSN)",
		field: func(c *config.Config) *string { return &c.Postgres }},
	{name: "root-key", usage: `root key: "file" (<data>/root.key) or a pkcs11: URI (KMSD_ROOT_KEY)`,
		field: func(c *config.Config) *string { return &c.RootKey }},
}

// configFlags registers the flags shared by serve and admin commands, plus
// extra, and returns a function that assembles the final configuration:
// defaults, then --config FILE (or KMSD_CONFIG), then KMSD_* variables, then
// the flags that were set on the command line.
func configFlags(fs *flag.FlagSet, env Env, extra ...stringFlag) func() (config.Config, error) {
	file := fs.String("config", "", "YAML configuration file (KMSD_CONFIG)")
	flags := append(append([]stringFlag{}, sharedFlags...), extra...)
	for i := range flags {
		fs.StringVar(&flags[i].value, flags[i].name, "", flags[i].usage)
	}
	return func() (config.Config, error) {
		cfg := config.Default()
		path := *file
		if path == "" {
			path, _ = env.Lookup("KMSD_CONFIG")
		}
		if path != "" {
			if err := cfg.LoadFile(path); err != nil {
				return cfg, err
			}
		}
		if err := cfg.LoadEnv(env.Lookup); err != nil {
			return cfg, err
		}
		set := map[string]bool{}
		fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
		for _, f := range flags {
			if !set[f.name] {
				continue
			}
			if err := f.apply(&cfg); err != nil {
				return cfg, fmt.Errorf("--%s: %w", f.name, err)
			}
		}
		return cfg, cfg.Validate()
	}
}

func newFlagSet(name string, env Env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs
}

// optionalBool is a boolean flag that may be given bare (--print-env means
// true) or with a value (--print-env=false); set stays nil when the flag is
// absent, so that the configuration's own value (or default) applies.
type optionalBool struct{ set *bool }

func (o *optionalBool) String() string {
	if o.set == nil {
		return ""
	}
	return strconv.FormatBool(*o.set)
}

func (o *optionalBool) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return err
	}
	o.set = &b
	return nil
}

// IsBoolFlag lets the flag package accept the flag without a value.
func (o *optionalBool) IsBoolFlag() bool { return true }
