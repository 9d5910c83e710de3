package audit

import (
	"context"
	"io"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"
)

// Log writes each event as one JSON line in the shape of log/slog's JSON
// handler ({"time":…,"level":"INFO","msg":"request",…}), so audit lines
// and the server's other log lines parse alike. It formats by hand into a
// pooled buffer and issues exactly one write per event: this sink runs
// on every request, where slog's generic handler cost several microseconds.
//
// Durable, for Log, means handed to the operating system: a durable event
// is written through W before Record returns (WriteThrough when W is a
// ThroughWriter such as BatchWriter, a Write otherwise), and W's error is
// returned. The line then survives a crash of kmsd (SIGKILL), not one of
// the machine; a trail that survives that too is a ThroughWriter whose
// WriteThrough also syncs the file to disk. Any other event is simply
// written to W, which may buffer it; Record returns W's error.
type Log struct{ W io.Writer }

// ThroughWriter is a writer that may buffer what it is given to Write but
// can also write through.
type ThroughWriter interface {
	io.Writer
	// WriteThrough writes everything buffered before it, then p, to the
	// writer's destination and returns once that is done, with the
	// destination's error. It must not retain p.
	WriteThrough(p []byte) error
}

var lineBufs = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// Record implements Sink.
func (l Log) Record(_ context.Context, e Event) error {
	bp := lineBufs.Get().(*[]byte)
	b := appendEvent((*bp)[:0], e)
	err := l.write(b, e.Durable)
	*bp = b
	lineBufs.Put(bp)
	return err
}

func (l Log) write(line []byte, durable bool) error {
	if durable {
		if tw, ok := l.W.(ThroughWriter); ok {
			return tw.WriteThrough(line)
		}
	}
	_, err := l.W.Write(line)
	return err
}

func appendEvent(b []byte, e Event) []byte {
	b = append(b, `{"time":"`...)
	b = e.Time.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","level":"INFO","msg":"request"`...)
	for _, f := range [...]struct{ k, v string }{
		{"request_id", e.RequestID}, {"method", e.Method}, {"path", e.Path}, {"action", e.Action},
		{"project_id", e.ProjectID}, {"user_id", e.UserID}, {"key_id", e.KeyID},
	} {
		b = appendField(b, f.k, f.v)
	}
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(e.Status), 10)
	b = appendField(b, "code", e.Code)
	b = append(b, `,"duration_ms":`...)
	b = strconv.AppendFloat(b, float64(e.Duration.Microseconds())/1000, 'f', -1, 64)
	return append(b, "}\n"...)
}

func appendField(b []byte, k, v string) []byte {
	b = append(b, ',', '"')
	b = append(b, k...)
	b = append(b, '"', ':')
	return AppendJSONString(b, v)
}

const hexDigits = "0123456789abcdef"

// AppendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, invalid UTF-8 replaced by U+FFFD (paths are
// client input).
func AppendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			b = append(b, c)
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = appendEscaped(b, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

func appendEscaped(b []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(b, '\\', c)
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	}
	return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
}
