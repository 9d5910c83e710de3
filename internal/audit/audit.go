// Package audit records the outcome of every API request in one place: the
// request pipeline builds one Event per request and hands it to a Recorder.
// Recorders here write a JSON audit log and keep Prometheus-style counters.
package audit

import (
	"context"
	"log/slog"
	"time"
)

// Event is the outcome of one request. It never contains key material,
// plaintext, secrets or tokens.
type Event struct {
	RequestID string
	Time      time.Time
	Method    string
	Path      string
	Action    string // route name, e.g. "create-key"; "" for unknown paths
	ProjectID string
	UserID    string
	KeyID     string // the key acted on, when known
	Status    int
	Code      string // KMS error code; "" on success
	Duration  time.Duration
}

// Recorder receives events. Record must be safe for concurrent use and must
// not block for long: it runs on the request path.
type Recorder interface {
	Record(Event)
}

// Multi fans an event out to several recorders.
type Multi []Recorder

// Record implements Recorder.
func (m Multi) Record(e Event) {
	for _, r := range m {
		r.Record(e)
	}
}

// Log writes each event as one structured log line.
type Log struct{ Logger *slog.Logger }

// Record implements Recorder. It uses typed attributes (LogAttrs), which
// log exactly what Info with key/value pairs would, without boxing each value.
func (l Log) Record(e Event) {
	l.Logger.LogAttrs(context.Background(), slog.LevelInfo, "request",
		slog.String("request_id", e.RequestID), slog.String("method", e.Method), slog.String("path", e.Path),
		slog.String("action", e.Action), slog.String("project_id", e.ProjectID), slog.String("user_id", e.UserID),
		slog.String("key_id", e.KeyID), slog.Int("status", e.Status), slog.String("code", e.Code),
		slog.Float64("duration_ms", float64(e.Duration.Microseconds())/1000))
}
