package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Setting is one entry of the settings table (settings.go): a Config field
// with its YAML key, environment variable, command-line flag, default and
// documentation. Defaults, environment and flag loading, "kmsd serve -h"
// and docs/configuration.md are all produced from the table, so they cannot
// disagree; the YAML key is the field's yaml tag path, which a test checks.
type Setting struct {
	// Key is the YAML path of the field, levels joined by dots
	// ("limits.max_connections").
	Key string
	// Env is the environment variable: KMSD_ and a name in upper case.
	Env string
	// Flag is the command-line flag without dashes: Env without KMSD_, in
	// lower case, with dashes. Empty when there is none; NoFlag says why.
	Flag   string
	NoFlag string
	// Shared marks the settings that the admin commands, which open the
	// store and the root key, take as flags too; the others are flags of
	// kmsd serve only.
	Shared bool
	// Doc is one line saying what the setting does.
	Doc   string
	field binding
}

// Kind is the type of a setting's value, which says how its text (in the
// environment or a flag) is parsed.
type Kind int

// The kinds of settings. An OptionalBool is unset by default, which means
// something other than both true and false.
const (
	String Kind = iota
	Bool
	Int
	Duration
	OptionalBool
)

var kindNames = [...]string{String: "string", Bool: "bool", Int: "int", Duration: "duration", OptionalBool: "optional bool"}

func (k Kind) String() string { return kindNames[k] }

// IsBool reports whether the kind is a boolean, whose flag may be given
// bare (--print-env means --print-env=true).
func (k Kind) IsBool() bool { return k == Bool || k == OptionalBool }

// binding ties a setting to its Config field: ptr returns the field's
// address in a Config, reset stores the default there, and shown, when
// set, is how the documentation states a default that is not a literal.
type binding struct {
	ptr   func(*Config) any
	reset func(*Config)
	shown string
}

// value is the Go type of a setting's field. The default of a *bool field
// is nil (unset), so that Configs share no pointer.
type value interface {
	string | bool | int | time.Duration | *bool
}

// bind binds a setting to the field p returns, with default def.
func bind[T value](def T, p func(*Config) *T) binding {
	return binding{ptr: func(c *Config) any { return p(c) }, reset: func(c *Config) { *p(c) = def }}
}

// computed binds a setting whose default is computed when Default is
// called; shown states it in the documentation.
func computed[T value](shown string, def func() T, p func(*Config) *T) binding {
	return binding{ptr: func(c *Config) any { return p(c) }, reset: func(c *Config) { *p(c) = def() }, shown: shown}
}

// described states the default of b in words, for defaults whose literal
// value says little (an unset optional bool).
func (b binding) described(shown string) binding {
	b.shown = shown
	return b
}

// Kind is the type of the setting's value.
func (s Setting) Kind() Kind {
	switch s.field.ptr(&Config{}).(type) {
	case *bool:
		return Bool
	case *int:
		return Int
	case *time.Duration:
		return Duration
	case **bool:
		return OptionalBool
	}
	return String
}

// Set parses text as the environment and flags give it and stores it in c:
// booleans as strconv.ParseBool reads them, ints in decimal, durations in
// time.ParseDuration's syntax ("30s", "15m"). c is unchanged on error.
func (s Setting) Set(c *Config, text string) error {
	switch p := s.field.ptr(c).(type) {
	case *string:
		*p = text
	case *bool:
		b, err := strconv.ParseBool(text)
		if err != nil {
			return err
		}
		*p = b
	case **bool:
		b, err := strconv.ParseBool(text)
		if err != nil {
			return err
		}
		*p = &b
	case *int:
		n, err := strconv.Atoi(text)
		if err != nil {
			return err
		}
		*p = n
	case *time.Duration:
		d, err := time.ParseDuration(text)
		if err != nil {
			return err
		}
		*p = d
	}
	return nil
}

// Value returns the setting's value in c as text that Set reads back; an
// unset optional bool is "".
func (s Setting) Value(c *Config) string {
	switch p := s.field.ptr(c).(type) {
	case *string:
		return *p
	case *bool:
		return strconv.FormatBool(*p)
	case **bool:
		if *p == nil {
			return ""
		}
		return strconv.FormatBool(**p)
	case *int:
		return strconv.Itoa(*p)
	case *time.Duration:
		return shortDuration(*p)
	}
	panic(fmt.Sprintf("config: setting %s has a field of unknown type", s.Key))
}

// shortDuration is d as time.Duration.String writes it without zero
// trailing units: "15m", not "15m0s".
func shortDuration(d time.Duration) string {
	t := d.String()
	if strings.HasSuffix(t, "m0s") {
		t = t[:len(t)-2]
	}
	if strings.HasSuffix(t, "h0m") {
		t = t[:len(t)-2]
	}
	return t
}

// Default is the setting's default as the documentation states it: its
// value in Default(), or words for a computed or unset default; "" when
// the default is empty.
func (s Setting) Default() string {
	if s.field.shown != "" {
		return s.field.shown
	}
	c := Default()
	return s.Value(&c)
}

// Usage is the flag's help text: the doc, the environment variable, the
// YAML key and the default.
func (s Setting) Usage() string {
	u := fmt.Sprintf("%s (%s, yaml %s", s.Doc, s.Env, s.Key)
	if d := s.Default(); d != "" {
		u += "; default " + d
	}
	return u + ")"
}

// Settings returns the settings table, in the order of
// docs/configuration.md.
func Settings() []Setting { return append([]Setting(nil), table...) }

// Default returns the built-in defaults, from the settings table: an
// embedded SQLite store in ./kmsd-data, a software root key, and
// 127.0.0.1:8080.
func Default() Config {
	var c Config
	for _, s := range table {
		s.field.reset(&c)
	}
	return c
}
