package bench

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/kmsd/kmsd/internal/config"
	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/server"
)

// TestPrefill creates keys in batches in a fresh data directory; a node
// opened on it afterwards counts them, and the quota still applies.
func TestPrefill(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir, cfg.KeyQuota = t.TempDir(), 2600
	var log bytes.Buffer
	p := Prefill{Keys: 2500, Batch: 300, Workers: 3, Spec: domain.SpecAES256}
	if err := p.Run(context.Background(), cfg, &log); err != nil {
		t.Fatalf("prefill: %v", err)
	}
	if !strings.Contains(log.String(), "created 2500 AES_256 keys") {
		t.Errorf("prefill log: %s", log.String())
	}
	p.Keys = 101 // over the quota: the last batch fails whole
	if err := p.Run(context.Background(), cfg, io.Discard); err == nil || !strings.Contains(err.Error(), "KMS.1105") {
		t.Errorf("prefill over the quota: %v", err)
	}
	n, err := server.Open(context.Background(), cfg, server.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), AuditLog: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	b := n.Bootstrap
	got, err := n.Service.Instances(context.Background(), domain.Caller{DomainID: b.DomainID, ProjectID: b.ProjectID})
	if err != nil || got != 2500 {
		t.Errorf("keys after prefill: %d, %v; want 2500", got, err)
	}
}
