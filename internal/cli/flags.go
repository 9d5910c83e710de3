package cli

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/kmsd/kmsd/internal/config"
)

// settingFlag is the command-line flag of one setting. It keeps the text
// given, which config.Assemble parses once the file and the environment are
// applied, so that errors name the flag ("--max-connections: …"). A boolean
// flag may be given bare, and its text is checked as it is parsed, like the
// flag package's own booleans.
type settingFlag struct {
	setting config.Setting
	text    string
	given   bool
}

func (f *settingFlag) String() string {
	if f == nil {
		return ""
	}
	return f.text
}

func (f *settingFlag) Set(v string) error {
	if f.IsBoolFlag() {
		if _, err := strconv.ParseBool(v); err != nil {
			return err
		}
	}
	f.text, f.given = v, true
	return nil
}

// IsBoolFlag lets the flag package accept a boolean flag without a value.
func (f *settingFlag) IsBoolFlag() bool { return f.setting.Kind().IsBool() }

// shared are the settings the admin commands take as flags.
func shared(settings []config.Setting) []config.Setting {
	var out []config.Setting
	for _, s := range settings {
		if s.Shared {
			out = append(out, s)
		}
	}
	return out
}

// configFlags registers --config and the flags of settings on fs and
// returns a function that assembles the final configuration (defaults, then
// --config FILE or KMSD_CONFIG, then KMSD_* variables, then the flags set on
// the command line; see config.Assemble) and validates it.
func configFlags(fs *flag.FlagSet, env Env, settings []config.Setting) func() (config.Config, error) {
	assemble := sourceFlags(fs, env, settings)
	return func() (config.Config, error) {
		cfg, err := assemble()
		if err != nil {
			return cfg, err
		}
		return cfg, cfg.Validate()
	}
}

// sourceFlags is configFlags without the validation.
func sourceFlags(fs *flag.FlagSet, env Env, settings []config.Setting) func() (config.Config, error) {
	file := fs.String(config.FileFlag, "", "YAML configuration file ("+config.FileEnv+"); see docs/configuration.md")
	var flags []*settingFlag
	for _, s := range settings {
		if s.Flag != "" {
			f := &settingFlag{setting: s}
			fs.Var(f, s.Flag, s.Usage())
			flags = append(flags, f)
		}
	}
	fs.Usage = func() { printUsage(fs, settings) }
	return func() (config.Config, error) {
		given := map[string]string{}
		for _, f := range flags {
			if f.given {
				given[f.setting.Flag] = f.text
			}
		}
		return config.Assemble(*file, env.Lookup, given)
	}
}

func newFlagSet(name string, env Env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs
}

// printUsage writes the help of fs, which has the flags of settings: as
// flag.PrintDefaults does but naming each setting flag's argument by its
// kind, then which settings have no flag here.
func printUsage(fs *flag.FlagSet, settings []config.Setting) {
	w := fs.Output()
	fmt.Fprintf(w, "Usage of %s:\n", fs.Name())
	fs.VisitAll(func(f *flag.Flag) { printFlag(w, f) })
	fmt.Fprintln(w, "\nEach flag has an environment variable and a YAML key: see docs/configuration.md.")
	if len(settings) < len(config.Settings()) {
		fmt.Fprintln(w, "Every other setting is read from the environment and the file only.")
		return
	}
	fmt.Fprintln(w, "Without a flag, read from the environment and the file only:")
	for _, s := range settings {
		if s.Flag == "" {
			fmt.Fprintf(w, "  %s (yaml %s): %s\n    \t%s\n", s.Env, s.Key, s.Doc, s.NoFlag)
		}
	}
}

// printFlag writes one flag in flag.PrintDefaults's layout.
func printFlag(w io.Writer, f *flag.Flag) {
	arg, usage := flag.UnquoteUsage(f)
	if sf, ok := f.Value.(*settingFlag); ok {
		arg = sf.setting.Kind().String()
		if sf.IsBoolFlag() {
			arg = ""
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "  -%s", f.Name)
	if arg != "" {
		b.WriteString(" " + arg)
	}
	b.WriteString("\n    \t" + strings.ReplaceAll(usage, "\n", "\n    \t"))
	if _, ok := f.Value.(*settingFlag); !ok && f.DefValue != "" && f.DefValue != "false" {
		fmt.Fprintf(&b, " (default %q)", f.DefValue)
	}
	fmt.Fprintln(w, b.String())
}
