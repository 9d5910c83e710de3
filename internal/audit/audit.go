// Package audit records the outcome of every API request in one place: the
// request pipeline builds one Event per request and hands it to a Recorder.
// Recorders here write a JSON audit log and keep Prometheus-style counters.
package audit

import "time"

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
