package trail

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kmsd/kmsd/internal/audit"
)

// Sink records audit events in a trail Writer. Durable, for Sink, means
// what the Writer's destination makes of Sync: fsynced for a file, handed to
// the operating system for standard output and syslog.
type Sink struct {
	W *Writer
	// FailOpen serves on when the trail cannot be written: Record then
	// logs the failure to Log and returns nil. Otherwise (fail closed) a
	// durable Record returns the error and the request is refused.
	FailOpen bool
	Log      *slog.Logger
	failures atomic.Uint64
}

// NewSink returns a Sink writing to w.
func NewSink(w *Writer, failOpen bool, log *slog.Logger) *Sink {
	return &Sink{W: w, FailOpen: failOpen, Log: log}
}

var bufs = sync.Pool{New: func() any { b := make([]byte, 0, 768); return &b }}

// Record implements audit.Sink.
func (s *Sink) Record(ctx context.Context, e audit.Event) error {
	bp := bufs.Get().(*[]byte)
	b := AppendFields((*bp)[:0], e)
	mode := NoWait
	switch {
	case e.Durable && e.Sync:
		mode = Synced
	case e.Durable:
		mode = Written
	}
	err := s.W.Append(ctx, b, mode)
	*bp = b
	bufs.Put(bp)
	if err == nil {
		return nil
	}
	if n := s.failures.Add(1); n&(n-1) == 0 { // log the 1st, 2nd, 4th, 8th… failure
		s.Log.Error("audit trail write failed", "err", err, "failures", n, "fail_open", s.FailOpen)
	}
	if s.FailOpen {
		return nil
	}
	return err
}

// AppendFields appends the JSON members of e's record, in the terms of
// Huawei Cloud Trace Service where they fit: trace_id (the request id),
// trace_name (the operation, as CTS spells it: createKey), trace_status
// (normal, warning for 4xx, incident for 5xx), resource_type and
// resource_id (the key), source_ip, user (id, domain, access key id), code
// (the HTTP status), request (parameters that are neither secret nor data)
// and response (the key acted on), with kmsd's error_code, auth_failure
// (why the request did not authenticate: an auth.Failure) and reason (the
// error message).
func AppendFields(b []byte, e audit.Event) []byte {
	b = append(b, `"trace_type":"ApiCall","service_type":"KMS","time":"`...)
	b = e.Time.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","trace_id":`...)
	b = audit.AppendJSONString(b, e.RequestID)
	b = append(b, `,"trace_name":"`...)
	b = appendTraceName(b, e.Action)
	b = append(b, `","trace_status":"`...)
	b = append(b, traceStatus(e.Status)...)
	b = append(b, `","action":`...)
	b = audit.AppendJSONString(b, e.Action)
	if e.KeyID != "" {
		b = append(b, `,"resource_type":"cmk","resource_id":`...)
		b = audit.AppendJSONString(b, e.KeyID)
	}
	b = member(b, "source_ip", e.SourceIP)
	b = append(b, `,"user":{"id":`...)
	b = audit.AppendJSONString(b, e.UserID)
	b = member(b, "domain_id", e.DomainID)
	b = member(b, "access_key_id", e.AccessKey)
	b = append(b, '}')
	b = member(b, "project_id", e.ProjectID)
	b = member(b, "method", e.Method)
	b = member(b, "path", e.Path)
	b = append(b, `,"code":"`...)
	b = strconv.AppendInt(b, int64(e.Status), 10)
	b = append(b, '"')
	b = member(b, "error_code", e.Code)
	b = member(b, "auth_failure", e.AuthFailure)
	b = member(b, "reason", e.Reason)
	b = append(b, `,"request":{`...)
	b = append(b, e.Params...)
	b = append(b, `},"response":{`...)
	if e.KeyID != "" {
		b = append(b, `"key_id":`...)
		b = audit.AppendJSONString(b, e.KeyID)
	}
	b = append(b, `},"duration_ms":`...)
	return strconv.AppendFloat(b, float64(e.Duration.Microseconds())/1000, 'f', -1, 64)
}

func member(b []byte, k, v string) []byte {
	if v == "" {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, k...)
	b = append(b, '"', ':')
	return audit.AppendJSONString(b, v)
}

// appendTraceName appends "create-key" as "createKey". Action names are
// the catalogue's, lower-case ASCII and hyphens.
func appendTraceName(b []byte, action string) []byte {
	up := false
	for i := 0; i < len(action); i++ {
		c := action[i]
		switch {
		case c == '-':
			up = true
			continue
		case up && c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		case c < 0x20 || c == '"' || c == '\\' || c >= 0x80:
			continue
		}
		up = false
		b = append(b, c)
	}
	return b
}

func traceStatus(status int) string {
	switch {
	case status >= 500:
		return "incident"
	case status >= 400:
		return "warning"
	}
	return "normal"
}
