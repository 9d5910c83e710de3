package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/kmsd/kmsd/internal/config"
)

// sample is a value of s other than its default.
func sample(s config.Setting) string {
	def := config.Default()
	switch s.Kind() {
	case config.Int:
		return "4242"
	case config.Duration:
		return "42m"
	case config.Bool:
		return strconv.FormatBool(s.Value(&def) != "true")
	case config.OptionalBool:
		return "false"
	}
	return "sample-" + strings.ToLower(s.Env)
}

// yamlAt is a YAML document setting the dotted key to text.
func yamlAt(key, text string) string {
	var b strings.Builder
	parts := strings.Split(key, ".")
	for i, p := range parts {
		b.WriteString(strings.Repeat("  ", i) + p + ":")
		if i < len(parts)-1 {
			b.WriteString("\n")
		}
	}
	return b.String() + " " + text + "\n"
}

// TestEverySettingRoundTrips: each setting of the table, given a value other
// than its default in the YAML file, in its environment variable or as its
// flag of kmsd serve, yields the defaults with exactly that field changed.
func TestEverySettingRoundTrips(t *testing.T) {
	dir := t.TempDir()
	for _, s := range config.Settings() {
		text := sample(s)
		want := config.Default()
		if err := s.Set(&want, text); err != nil || reflect.DeepEqual(want, config.Default()) {
			t.Fatalf("%s: sample %q is invalid or the default (%v)", s.Key, text, err)
		}
		path := filepath.Join(dir, s.Env+".yaml")
		if err := os.WriteFile(path, []byte(yamlAt(s.Key, text)), 0o600); err != nil {
			t.Fatal(err)
		}
		sources := map[string]struct {
			vars map[string]string
			args []string
		}{
			"yaml": {nil, []string{"--config", path}},
			"env":  {map[string]string{s.Env: text}, nil},
			"flag": {nil, []string{"--" + s.Flag + "=" + text}},
		}
		for name, src := range sources {
			if name == "flag" && s.Flag == "" {
				continue
			}
			env := Env{Stdout: io.Discard, Stderr: io.Discard, Lookup: func(k string) (string, bool) { v, ok := src.vars[k]; return v, ok }}
			fs := newFlagSet("kmsd serve", env)
			assemble := sourceFlags(fs, env, config.Settings())
			if err := fs.Parse(src.args); err != nil {
				t.Fatalf("%s by %s: %v", s.Key, name, err)
			}
			got, err := assemble()
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("%s = %q by %s: got %+v (%v), want %+v", s.Key, text, name, got, err, want)
			}
		}
	}
}

// TestServeHelp: "kmsd serve -h" lists every flag of the table with its
// environment variable, YAML key and kind, and the settings without a
// flag with the reason; the admin commands list the shared flags.
func TestServeHelp(t *testing.T) {
	help := func(args ...string) string {
		var out bytes.Buffer
		if code := Main(args, Env{Stdout: &out, Stderr: &out, Lookup: func(string) (string, bool) { return "", false }}); code != 0 {
			t.Fatalf("%v: exit %d", args, code)
		}
		return out.String()
	}
	serve, adm := help("serve", "-h"), help("admin", "project", "create", "-h")
	for _, s := range config.Settings() {
		switch {
		case s.Flag == "":
			if !strings.Contains(serve, s.Env) || !strings.Contains(serve, s.NoFlag) {
				t.Errorf("serve -h does not say why %s has no flag", s.Env)
			}
		case !strings.Contains(serve, "\n    \t"+s.Usage()+"\n"):
			t.Errorf("serve -h lacks --%s as %q", s.Flag, s.Usage())
		case s.Kind() == config.Int && !strings.Contains(serve, "  -"+s.Flag+" int\n"):
			t.Errorf("serve -h does not name the argument of --%s int", s.Flag)
		}
		if listed := strings.Contains(adm, "  -"+s.Flag+" "); s.Flag != "" && listed != s.Shared {
			t.Errorf("admin -h lists --%s: %v, want %v", s.Flag, listed, s.Shared)
		}
	}
}

// TestSecretsHaveNoFlag: the bootstrap secrets cannot be given on the
// command line, where every local user could read them (docs/security.md §5).
func TestSecretsHaveNoFlag(t *testing.T) {
	secrets := map[string]string{"KMSD_BOOTSTRAP_SECRET_KEY": "bootstrap-secret-key", "KMSD_BOOTSTRAP_PASSWORD": "bootstrap-password"}
	for _, s := range config.Settings() {
		if _, secret := secrets[s.Env]; secret && s.Flag != "" {
			t.Errorf("%s has the flag --%s", s.Env, s.Flag)
		}
	}
	for env, flag := range secrets {
		var out bytes.Buffer
		code := Main([]string{"serve", "--" + flag + "=x"}, Env{Stdout: &out, Stderr: &out, Lookup: func(string) (string, bool) { return "", false }})
		if code == 0 || !strings.Contains(out.String(), "not defined") {
			t.Errorf("--%s (%s) accepted: exit %d, %s", flag, env, code, out.String())
		}
	}
}
