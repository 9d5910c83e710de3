package bench

import (
	"context"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/config"
	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/server"
)

// startKmsd starts a real kmsd in-process on 127.0.0.1:0, the way the
// end-to-end tests do, with testCred as its bootstrap credential.
func startKmsd(t testing.TB) string {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir, cfg.Listen = t.TempDir(), "127.0.0.1:0"
	cfg.JobInterval, cfg.KeyQuota = time.Hour, 100000
	cfg.Bootstrap = config.Bootstrap{Region: "local-1", Domain: "admin", User: "admin",
		Password: "correct horse battery staple", ProjectID: testCred.Project,
		AccessKey: testCred.AK, SecretKey: testCred.SK}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	n, err := server.Open(context.Background(), cfg, server.Options{Logger: logger, AuditLog: io.Discard})
	if err != nil {
		t.Fatalf("start kmsd: %v", err)
	}
	l, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		n.Close()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- n.Serve(l) }()
	t.Cleanup(func() {
		if err := n.Close(); err != nil {
			t.Errorf("close kmsd: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return "http://" + l.Addr().String()
}

// TestRunAgainstKmsd drives every operation briefly against a real kmsd:
// setup (key creation, the decrypt-data input) works and no request fails.
func TestRunAgainstKmsd(t *testing.T) {
	if testing.Short() {
		t.Skip("runs kmsd under load for a few seconds")
	}
	url := startKmsd(t)
	tests := []struct {
		name string
		op   string
		spec domain.KeySpec
		size int
		dep  int
	}{
		{name: "encrypt-data 4 KiB", op: OpEncryptData, size: 4096},
		{name: "decrypt-data 512 B", op: OpDecryptData, size: 512},
		{name: "create-datakey", op: OpCreateDatakey},
		{name: "sign EC_P256", op: OpSign, spec: domain.SpecECP256},
		{name: "describe-key", op: OpDescribeKey},
		{name: "create-key", op: OpCreateKey},
		{name: "list-keys", op: OpListKeys},
		{name: "list-keys deep", op: OpListKeys, dep: 5}, // the keys created above
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := validConfig()
			cfg.URLs, cfg.Op, cfg.KeySpec, cfg.Size, cfg.Conns, cfg.Depth = []string{url}, tc.op, tc.spec, tc.size, 4, tc.dep
			cfg.Warmup, cfg.Duration, cfg.MaxRequests = 100*time.Millisecond, 400*time.Millisecond, 5000
			if err := cfg.Normalize(); err != nil {
				t.Fatal(err)
			}
			res, err := Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if res.Errors != 0 || res.OK == 0 {
				t.Fatalf("result %s", res.Line())
			}
			// A worker may rarely need a second connection (the transport can
			// race returning the idle one); without keep-alive there would be
			// one per request.
			if res.ConnsOpened > 8 {
				t.Errorf("opened %d connections for 4 workers and %d requests: keep-alive broken", res.ConnsOpened, res.Sent)
			}
		})
	}
}
