package config

import (
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/testkit/golden"
)

// leaf is one value field of Config, reached through nested structs.
type leaf struct {
	path string // yaml tags joined by dots
	name string // Go field names joined by dots
}

// leaves maps the address and type of every value field of v to it.
func leaves(v reflect.Value, path, name string, out map[at]leaf) {
	for i := range v.NumField() {
		f, sf := v.Field(i), v.Type().Field(i)
		key := strings.Split(sf.Tag.Get("yaml"), ",")[0]
		p, n := join(path, key), join(name, sf.Name)
		if f.Kind() == reflect.Struct {
			leaves(f, p, n, out)
			continue
		}
		out[addrType(f.Addr())] = leaf{p, n}
	}
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

// at identifies a field by its address and type (a struct's first field
// shares its address).
type at struct {
	addr uintptr
	typ  reflect.Type
}

func addrType(p reflect.Value) at { return at{p.Pointer(), p.Type()} }

// TestEveryFieldHasASetting fails when a Config field has no entry in the
// settings table, or two, or an entry whose Key is not the field's YAML
// path: then it would be loaded from the file but not from the
// environment or flags, or documented under the wrong key.
func TestEveryFieldHasASetting(t *testing.T) {
	var c Config
	fields := map[at]leaf{}
	leaves(reflect.ValueOf(&c).Elem(), "", "", fields)
	seen := map[at]string{}
	for _, s := range table {
		a := addrType(reflect.ValueOf(s.field.ptr(&c)))
		f, ok := fields[a]
		switch {
		case !ok:
			t.Errorf("setting %s points at no field of Config", s.Key)
		case seen[a] != "":
			t.Errorf("settings %s and %s both set Config.%s", seen[a], s.Key, f.name)
		case f.path != s.Key:
			t.Errorf("setting %s sets Config.%s, whose YAML key is %s", s.Key, f.name, f.path)
		}
		seen[a] = s.Key
	}
	for a, f := range fields {
		if seen[a] == "" {
			t.Errorf("Config.%s (%s) has no entry in the settings table", f.name, f.path)
		}
	}
}

// TestSettingNames holds the table to its naming rules: every name unique,
// the environment variable KMSD_ and a name, the flag that name in lower
// case with dashes (or no flag and a reason), and a one-line doc.
func TestSettingNames(t *testing.T) {
	seen := map[string]string{}
	unique := func(s Setting, kind, name string) {
		if name == "" {
			return
		}
		if other, dup := seen[kind+name]; dup {
			t.Errorf("%s %s used by %s and %s", kind, name, other, s.Key)
		}
		seen[kind+name] = s.Key
	}
	for _, s := range table {
		unique(s, "key ", s.Key)
		unique(s, "env ", s.Env)
		unique(s, "flag ", s.Flag)
		name, ok := strings.CutPrefix(s.Env, "KMSD_")
		if !ok || name == "" || name != strings.ToUpper(name) || s.Env == FileEnv {
			t.Errorf("%s: environment variable %q", s.Key, s.Env)
		}
		if want := strings.ToLower(strings.ReplaceAll(name, "_", "-")); s.Flag != "" && s.Flag != want {
			t.Errorf("%s: flag --%s, want --%s (from %s)", s.Key, s.Flag, want, s.Env)
		}
		if (s.Flag == "") == (s.NoFlag == "") {
			t.Errorf("%s: want a flag or a reason for none, not both", s.Key)
		}
		if s.Doc == "" || strings.ContainsAny(s.Doc, "\n") {
			t.Errorf("%s: doc %q is not one line", s.Key, s.Doc)
		}
	}
}

// TestDefaultsReadBack: the default each setting documents is text its own
// parser reads back to the default, so docs/configuration.md and -h state
// values an operator can write.
func TestDefaultsReadBack(t *testing.T) {
	def := Default()
	for _, s := range table {
		if s.field.shown != "" || s.Value(&def) == "" {
			continue
		}
		c := Default()
		if err := s.Set(&c, s.Default()); err != nil || !reflect.DeepEqual(c, def) {
			t.Errorf("%s: default %q does not read back (%v)", s.Key, s.Default(), err)
		}
	}
}

// TestKinds covers each kind's parser and printer, Bool included, which no
// setting uses yet.
func TestKinds(t *testing.T) {
	var b bool
	var ob *bool
	var n int
	var d time.Duration
	var str string
	for _, tc := range []struct {
		s          Setting
		kind       Kind
		text, want string
	}{
		{Setting{field: bind("", func(*Config) *string { return &str })}, String, "x y", "x y"},
		{Setting{field: bind(false, func(*Config) *bool { return &b })}, Bool, "1", "true"},
		{Setting{field: bind[*bool](nil, func(*Config) **bool { return &ob })}, OptionalBool, "F", "false"},
		{Setting{field: bind(0, func(*Config) *int { return &n })}, Int, "-7", "-7"},
		{Setting{field: bind(time.Duration(0), func(*Config) *time.Duration { return &d })}, Duration, "90m", "1h30m"},
	} {
		if k := tc.s.Kind(); k != tc.kind {
			t.Errorf("kind %v, want %v", k, tc.kind)
		}
		if err := tc.s.Set(nil, tc.text); err != nil || tc.s.Value(nil) != tc.want {
			t.Errorf("%v: %q reads as %q (%v), want %q", tc.kind, tc.text, tc.s.Value(nil), err, tc.want)
		}
		if tc.kind != String && tc.s.Set(nil, "bogus") == nil {
			t.Errorf("%v: bogus accepted", tc.kind)
		}
	}
	if ob = nil; (Setting{field: bind[*bool](nil, func(*Config) **bool { return &ob })}).Value(nil) != "" {
		t.Error("an unset optional bool prints as a value")
	}
}

// TestAssembleOrder: each source wins over the ones before, KMSD_CONFIG
// names the file when no path is given, and flags naming no setting are
// refused.
func TestAssembleOrder(t *testing.T) {
	path := t.TempDir() + "/kmsd.yaml"
	os.WriteFile(path, []byte("listen: file:1\nseed: file.yaml\nkey_quota: 5\n"), 0o600)
	vars := env(map[string]string{FileEnv: path, "KMSD_SEED": "env.yaml", "KMSD_KEY_QUOTA": "6"})
	c, err := Assemble("", vars, map[string]string{"key-quota": "7"})
	if err != nil || c.Listen != "file:1" || c.Seed != "env.yaml" || c.KeyQuota != 7 || c.DataDir != "kmsd-data" {
		t.Fatalf("%+v, %v", c, err)
	}
	if _, err := Assemble("", vars, map[string]string{"bootstrap-secret-key": "x"}); err == nil {
		t.Fatal("a flag of no setting accepted")
	}
	if _, err := Assemble("", vars, map[string]string{"key-quota": "many"}); err == nil ||
		!strings.HasPrefix(err.Error(), "--key-quota: ") {
		t.Fatalf("bad flag value: %v", err)
	}
}

var update = flag.Bool("update", false, "rewrite docs/configuration.md")

// docs/configuration.md is generated from the settings table and must not
// drift.
func TestConfigurationDoc(t *testing.T) {
	golden.Check(t, "../../docs/configuration.md", Markdown(), *update, "go test ./internal/config -update")
}

// TestExampleFile: the configuration file docs/configuration.md shows loads
// and sets what it says.
func TestExampleFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kmsd.yaml")
	if err := os.WriteFile(path, []byte(ExampleFile), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Assemble(path, func(string) (string, bool) { return "", false }, nil)
	if err == nil {
		err = c.Validate()
	}
	if err != nil {
		t.Fatal(err)
	}
	if c.DataDir != "/var/lib/kmsd" || c.Listen != "0.0.0.0:8443" || c.Limits.MaxConnections != 2048 || c.PrintEnv == nil || *c.PrintEnv {
		t.Errorf("example file gives %+v", c)
	}
}
