package audit

import (
	"bytes"
	"context"
	"encoding/json"
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

func FuzzLogLine(f *testing.F) {
	f.Add("/v1.0/x", "KMS.0201")
	f.Fuzz(func(t *testing.T, path, code string) {
		b := appendEvent(nil, Event{Path: path, Code: code})
		var got map[string]any
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("%q: %v", b, err)
		}
	})
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
