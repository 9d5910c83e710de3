package config

import (
	"errors"
	"fmt"
	"path/filepath"
)

// Audit configures the audit trail: one chained record per request, apart
// from the operational log (docs/operations.md).
type Audit struct {
	// Destination is "file" (File, fsynced, rotated), "stdout" or
	// "syslog".
	Destination  string `yaml:"destination"`
	File         string `yaml:"file"`           // default audit.log in the data directory
	MaxFileBytes int    `yaml:"max_file_bytes"` // rotate past this size; 0 never
	// OnFailure is "refuse" (fail closed: a request whose record cannot
	// be written is answered 503) or "serve" (fail open: log and serve).
	OnFailure string `yaml:"on_failure"`
	// Durable is "all" (every request recorded durably before its answer)
	// or "writes" (only the operations that change state; reads and the
	// data plane are recorded after their answer).
	Durable string `yaml:"durable"`
	// Sync is "writes" (the durable records of operations that change
	// state are fsynced before their answer, the others written to the
	// operating system) or "all" (every durable record fsynced).
	Sync string `yaml:"sync"`
}

// DefaultAuditMaxFileBytes is the size at which the audit file rotates.
const DefaultAuditMaxFileBytes = 256 << 20

// AuditFile is the audit trail's file.
func (c *Config) AuditFile() string {
	if c.Audit.File != "" {
		return c.Audit.File
	}
	return filepath.Join(c.DataDir, "audit.log")
}

func (c *Config) validateLogs() error {
	var errs []error
	oneOf := func(what, v string, allowed ...string) {
		for _, a := range allowed {
			if v == a {
				return
			}
		}
		errs = append(errs, fmt.Errorf("%s %q: want one of %v", what, v, allowed))
	}
	oneOf("log level", c.LogLevel, "debug", "info", "warn", "error")
	oneOf("log format", c.LogFormat, "json", "text")
	oneOf("audit destination", c.Audit.Destination, "file", "stdout", "syslog")
	oneOf("audit on_failure", c.Audit.OnFailure, "refuse", "serve")
	oneOf("audit durable", c.Audit.Durable, "all", "writes")
	oneOf("audit sync", c.Audit.Sync, "writes", "all")
	if c.Audit.MaxFileBytes < 0 {
		errs = append(errs, errors.New("audit max_file_bytes must not be negative"))
	}
	if c.Audit.Destination == "file" && c.Audit.File == "" && c.DataDir == "" {
		errs = append(errs, errors.New("the audit file needs --audit-file or a data directory"))
	}
	return errors.Join(errs...)
}
