package bench

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/config"
	"github.com/kmsd/kmsd/internal/server"
)

// The benchmarks below drive kmsd's and the ceiling's handlers in-process,
// without sockets, so that a CPU profile shows only server work:
//
//	go test ./internal/bench/ -run '^$' -bench Handler -cpuprofile /tmp/cpu.out
//	go tool pprof -top /tmp/cpu.out
//
// kmsd logs JSON like in production, into io.Discard.

// openKmsdHandler opens a kmsd node without serving it.
func openKmsdHandler(b *testing.B) http.Handler {
	b.Helper()
	cfg := config.Default()
	cfg.DataDir, cfg.JobInterval = b.TempDir(), time.Hour
	cfg.Bootstrap = config.Bootstrap{Region: "local-1", Domain: "admin", User: "admin",
		Password: "correct horse battery staple", ProjectID: testCred.Project,
		AccessKey: testCred.AK, SecretKey: testCred.SK}
	n, err := server.Open(context.Background(), cfg, server.Options{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)), AuditLog: io.Discard})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { n.Close() })
	return n.Handler
}

// handlerTransport serves a client's requests with a handler in-process, so
// that plan() can set up keys without a socket.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	w := httptest.NewRecorder()
	t.h.ServeHTTP(w, r)
	return w.Result(), nil
}

// benchHandler sends cfg's request to h b.N times, from GOMAXPROCS goroutines.
func benchHandler(b *testing.B, h http.Handler, cfg Config) {
	cfg.URLs, cfg.Cred = []string{"http://127.0.0.1:1"}, testCred
	if err := cfg.Normalize(); err != nil {
		b.Fatal(err)
	}
	c := &client{hc: &http.Client{Transport: handlerTransport{h}}, cred: testCred}
	_, next, err := plan(context.Background(), c, &cfg)
	if err != nil {
		b.Fatal(err)
	}
	body := next(0)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r, err := newRequest(context.Background(), cfg.URLs[0], testCred, cfg.Op, body, time.Now())
			if err != nil {
				b.Error(err) // Fatal must not be called from RunParallel's goroutines
				return
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != http.StatusOK {
				b.Errorf("HTTP %d: %s", w.Code, w.Body)
				return
			}
		}
	})
}

func BenchmarkHandler(b *testing.B) {
	cases := []struct {
		name string
		op   string
		size int
	}{
		{"encrypt-data-512", OpEncryptData, 512},
		{"encrypt-data-4096", OpEncryptData, 4096},
		{"decrypt-data-512", OpDecryptData, 512},
		{"decrypt-data-4096", OpDecryptData, 4096},
	}
	for _, tc := range cases {
		b.Run("kmsd/"+tc.name, func(b *testing.B) {
			benchHandler(b, openKmsdHandler(b), Config{Op: tc.op, Size: tc.size, Conns: 1, Duration: 1, MaxRequests: 1, Timeout: 1})
		})
		if tc.op != OpEncryptData {
			continue
		}
		b.Run("ceiling/"+tc.name, func(b *testing.B) {
			h, err := NewCeiling(testCred.AK, testCred.SK)
			if err != nil {
				b.Fatal(err)
			}
			benchHandler(b, h, Config{Op: tc.op, Size: tc.size, KeyID: ceilingKeyID, Conns: 1, Duration: 1, MaxRequests: 1, Timeout: 1})
		})
	}
}
