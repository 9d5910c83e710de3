package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"strconv"
	"testing"
	"time"
)

func TestLogLinesAreJSON(t *testing.T) {
	for _, path := range []string{"/v1.0/p/kms/create-key", "/we\"ird\\path\n\x01", "/bad\xffutf8/密钥", ""} {
		var out bytes.Buffer
		e := Event{RequestID: "r1", Time: time.Date(2026, 11, 27, 1, 2, 3, 4000, time.UTC), Method: "POST", Path: path,
			Action: "create-key", ProjectID: "p", UserID: "u", KeyID: "k", Status: 400, Code: "KMS.0202", Duration: 1500 * time.Microsecond}
		Log{W: &out}.Record(context.Background(), e)
		var got map[string]any
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatalf("line %q: %v", out.String(), err)
		}
		wantPath, _ := json.Marshal(path) // encoding/json also replaces invalid UTF-8
		var p string
		json.Unmarshal(wantPath, &p)
		if got["path"] != p || got["status"] != 400.0 || got["duration_ms"] != 1.5 || got["msg"] != "request" ||
			got["level"] != "INFO" || got["time"] != "2026-11-27T01:02:03.000004Z" || got["code"] != "KMS.0202" {
			t.Fatalf("line %s", out.String())
		}
		if bytes.Count(out.Bytes(), []byte("\n")) != 1 {
			t.Fatalf("not one line: %q", out.String())
		}
	}
}

// FuzzLogLine checks that a log line is one line of JSON from which every
// field of the event reads back: strings as encoding/json would carry them
// (invalid UTF-8 becomes U+FFFD), the time to the nanosecond, the status and
// the duration in milliseconds to the microsecond, and no other keys.
func FuzzLogLine(f *testing.F) {
	f.Add("r1", "POST", "/v1.0/x", "create-key", "p", "u", "k", "KMS.0201", int64(1_700_000_000_123_456_789), 400, int64(1500*time.Microsecond))
	f.Add("", "", "/we\"ird\\path\n\x01", "", "", "", "", "", int64(0), 0, int64(0))
	f.Add("\xff", "GET", "/bad\xffutf8/密钥\u2028", "\x00", "\ufffd", "\xed\xa0\x80", "\t", "\"", int64(-1), -1, int64(-1))
	f.Fuzz(func(t *testing.T, reqID, method, path, action, project, user, key, code string, unixNano int64, status int, dur int64) {
		e := Event{RequestID: reqID, Time: time.Unix(0, unixNano).UTC(), Method: method, Path: path, Action: action,
			ProjectID: project, UserID: user, KeyID: key, Status: status, Code: code, Duration: time.Duration(dur)}
		b := appendEvent(nil, e)
		if bytes.IndexByte(b, '\n') != len(b)-1 {
			t.Fatalf("not one line: %q", b)
		}
		var got map[string]any
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		if err := d.Decode(&got); err != nil {
			t.Fatalf("%q: %v", b, err)
		}
		want := map[string]any{"time": e.Time.Format(time.RFC3339Nano), "level": "INFO", "msg": "request",
			"request_id": jsonString(reqID), "method": jsonString(method), "path": jsonString(path),
			"action": jsonString(action), "project_id": jsonString(project), "user_id": jsonString(user),
			"key_id": jsonString(key), "code": jsonString(code),
			"status": json.Number(strconv.Itoa(status))}
		ms, _ := got["duration_ms"].(json.Number)
		if us, err := strconv.ParseFloat(string(ms), 64); err != nil || math.Round(us*1000) != float64(e.Duration.Microseconds()) {
			t.Fatalf("duration_ms %v, want %d µs (%v)", got["duration_ms"], e.Duration.Microseconds(), err)
		}
		delete(got, "duration_ms")
		if len(got) != len(want) {
			t.Fatalf("keys %v, want those of %v", got, want)
		}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("%s = %#v, want %#v", k, got[k], w)
			}
		}
		if ts, err := time.Parse(time.RFC3339Nano, got["time"].(string)); err != nil || !ts.Equal(e.Time) {
			t.Errorf("time %s reads back as %v, %v; want %v", got["time"], ts, err, e.Time)
		}
	})
}

// jsonString returns s as encoding/json carries it: invalid UTF-8 replaced
// by U+FFFD, byte by byte.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	var out string
	json.Unmarshal(b, &out)
	return out
}

func BenchmarkLogRecord(b *testing.B) {
	e := Event{RequestID: "0123456789abcdef0123456789abcdef", Time: time.Now(), Method: "POST",
		Path: "/v1.0/0a1b2c3d4e5f60718293a4b5c6d7e8f9/kms/encrypt-data", Action: "encrypt-data",
		ProjectID: "0a1b2c3d4e5f60718293a4b5c6d7e8f9", UserID: "u", KeyID: "0d0466b0-e727-4d9c-b35d-f84bb474a37f", Status: 200}
	l := Log{W: discard{}}
	b.ReportAllocs()
	for b.Loop() {
		l.Record(context.Background(), e)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
