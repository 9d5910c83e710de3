package e2e

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"

	"github.com/kmsd/kmsd/internal/config"
	"github.com/kmsd/kmsd/internal/server"
)

// TestDescriptionRefusesControlCharacters attacks the promise that no
// key_description kmsd stores carries a control character that could
// rewrite what a terminal, log viewer or console shows: create-key,
// update-key-description and replicate-key refuse them with 400 KMS.1103
// and leave the stored description alone, while tab, LF and CRLF pass.
func TestDescriptionRefusesControlCharacters(t *testing.T) {
	nd := startNode(t, withSeed(t, regionsSeed))
	c := nd.client()
	id := createKey(t, c, "ctl-desc", nil)
	if _, err := updateDescription(c, id, "clean"); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"nul\x00byte", "\x1b[2J\x1b[31mspoofed", "over\rwritten", "c1 \u009b31m", "a\u2028b", "key \u202etxt.exe"} {
		_, err := updateDescription(c, id, bad)
		wantErr(t, err, 400, "KMS.1103")
		_, err = c.CreateKey(&model.CreateKeyRequest{Body: &model.CreateKeyRequestBody{KeyAlias: "ctl-" + randomSuffix(t), KeyDescription: ptr(bad)}})
		wantErr(t, err, 400, "KMS.1103")
		_, err = c.ReplicateKey(&model.ReplicateKeyRequest{KeyId: id, Body: &model.ReplicateKeyRequestBody{KeyId: id,
			ReplicaRegion: "local-2", ReplicaProjectId: region2Project, KeyAlias: "ctl-replica", KeyDescription: ptr(bad)}})
		wantErr(t, err, 400, "KMS.1103")
	}
	if got := *describe(t, c, id).KeyDescription; got != "clean" {
		t.Fatalf("a refused update changed the description to %q", got)
	}
	multiLine := "line one\tcolumn\nline two\r\nline three"
	if _, err := updateDescription(c, id, multiLine); err != nil {
		t.Fatalf("tab, LF and CRLF: %v", err)
	}
	if got := *describe(t, c, id).KeyDescription; got != multiLine {
		t.Fatalf("describe-key shows %q", got)
	}
}

// TestSeedRefusesControlCharactersInDescriptions: a fixture file is
// another way to store a description; a node refuses to start on one with
// an ESC sequence.
func TestSeedRefusesControlCharactersInDescriptions(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir, cfg.Listen = t.TempDir(), "127.0.0.1:0"
	withSeed(t, `
accounts:
  - name: admin
    projects:
      - name: local-1
        keys:
          - alias: evil
            description: "looks fine\e[8m hidden"
`)(&cfg)
	n, err := server.Open(context.Background(), cfg, server.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), AuditLog: io.Discard})
	if err == nil {
		n.Close()
		t.Fatal("a seed key with an ESC in its description was stored")
	}
	if !strings.Contains(err.Error(), "KMS.1103") {
		t.Fatalf("error %v, want KMS.1103", err)
	}
}
