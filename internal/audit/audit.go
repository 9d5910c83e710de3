// Package audit records the outcome of every API request in one place: the
// request pipeline builds one Event per request and hands it to a Sink.
// The audit trail (package trail) and the metrics (package metrics) are
// sinks; Debug writes the per-request line of the debug log; Multi fans an
// event out to several.
//
// An event is recorded durably or not (Event.Durable). The pipeline records
// the event of an operation whose catalogue entry says AuditFirst (every
// write), and of every request when audit.durable is "all" (the default),
// durably before it writes the response, and answers 503 KMS.0104 instead
// of the response when that fails; it records any other event after the
// response, where a sink may buffer it.
// Each sink documents what durable means for it.
package audit

import (
	"context"
	"errors"
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
	DomainID  string
	// AccessKey is the access key id the request presented, also when it
	// did not authenticate.
	AccessKey string
	SourceIP  string // the client's address, without the port
	KeyID     string // the key acted on, when known
	Status    int
	Code      string // KMS error code; "" on success
	// AuthFailure is why the request did not authenticate (an
	// auth.Failure), or "".
	AuthFailure string
	// Reason says why a request failed (the error message, which never
	// holds secrets); "" on success.
	Reason string
	// Params are the request's parameters that are neither secret nor
	// data, as the members of a JSON object ("k":"v",…), or nil.
	Params []byte
	// Duration is the time from the start of the request to its record:
	// for an event recorded after the response that includes writing the
	// response, for a durable one it does not.
	Duration time.Duration
	// Durable asks the sink to make the event durable before Record
	// returns (see Sink). It is not part of the record.
	Durable bool
	// Sync, with Durable, asks for the strongest durability the sink has
	// (a file's fsync), not only that the event is handed to the operating
	// system. It is not part of the record.
	Sync bool
}

// Sink keeps events. Record must be safe for concurrent use.
//
// When e.Durable, Record returns nil only once e is durable in the sink's
// sense, which each sink documents, and an error otherwise: the pipeline
// then does not acknowledge the operation. Otherwise Record may buffer e and
// return at once; it runs on the data plane's request path and must not
// block for long. A sink that waits on something it can interrupt gives up
// when ctx is done and returns an error.
type Sink interface {
	Record(ctx context.Context, e Event) error
}

// Multi fans an event out to several sinks, in order.
//
// A durable event stops at the first sink that fails, and Record returns
// that sink's error: the pipeline will not acknowledge the operation, so the
// sinks after it must not count it as done (the pipeline records the answer
// it gives instead, which every sink gets). Put the sinks that can fail
// before those that cannot: the log before the metrics. Any other event goes
// to every sink, and Record returns their errors joined.
type Multi []Sink

// Record implements Sink.
func (m Multi) Record(ctx context.Context, e Event) error {
	var errs []error
	for _, s := range m {
		if err := s.Record(ctx, e); err != nil {
			if e.Durable {
				return err
			}
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
