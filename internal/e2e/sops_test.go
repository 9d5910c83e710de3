package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"

	"github.com/kmsd/kmsd/internal/testkit/deps"
)

// sopsBinary finds sops: $KMSD_SOPS, else sops in PATH, else
// $(go env GOPATH)/bin/sops. Without it the test skips through deps.Sops.
func sopsBinary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("KMSD_SOPS"); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			deps.Sops.Skip(t, fmt.Sprintf("KMSD_SOPS=%s: %v", p, err))
		}
		return p
	}
	if p, err := exec.LookPath("sops"); err == nil {
		return p
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		p := filepath.Join(strings.TrimSpace(string(out)), "bin", "sops")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	deps.Sops.Skip(t, "no KMSD_SOPS, no sops in PATH or $(go env GOPATH)/bin; the sops compatibility test did NOT run")
	return ""
}

// TestSops encrypts and decrypts a YAML file with the unmodified sops binary
// (hckms key source), configured only through the documented environment.
func TestSops(t *testing.T) {
	sops := sopsBinary(t)
	nd := startNode(t)
	id := newCryptoKey(t, nd.client(), "sops", "AES_256", "")
	dir := t.TempDir()
	plain := "database:\n    user: admin\n    password: hunter2-very-secret\nport: 5432\n"
	if err := os.WriteFile(filepath.Join(dir, "plain.yaml"), []byte(plain), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{
		"HOME=" + t.TempDir(), // no credentials or regions file can interfere
		"HUAWEICLOUD_SDK_AK=" + testAK, "HUAWEICLOUD_SDK_SK=" + testSK, "HUAWEICLOUD_SDK_PROJECT_ID=" + testProject,
		"HUAWEICLOUD_SDK_REGION_KMS_LOCAL_1=" + nd.url,
	}
	enc := runSops(t, sops, dir, env, "encrypt", "--hckms", testRegion+":"+id, "plain.yaml")
	if !strings.Contains(enc, "hckms:") || !strings.Contains(enc, id) || strings.Contains(enc, "hunter2") {
		t.Fatalf("encrypted file lacks an hckms entry or leaks the secret:\n%s", enc)
	}
	if err := os.WriteFile(filepath.Join(dir, "enc.yaml"), []byte(enc), 0o600); err != nil {
		t.Fatal(err)
	}
	if dec := runSops(t, sops, dir, env, "decrypt", "enc.yaml"); dec != plain {
		t.Fatalf("decrypted:\n%s\nwant:\n%s", dec, plain)
	}
	if _, err := nd.client().DisableKey(&model.DisableKeyRequest{Body: operate(id)}); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(sops, "decrypt", "enc.yaml")
	cmd.Dir, cmd.Env = dir, env
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Fatalf("sops decrypted with a disabled key:\n%s", out)
	}
}

func runSops(t *testing.T, sops, dir string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(sops, args...)
	cmd.Dir, cmd.Env = dir, env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("sops %v: %v\n%s", args, err, stderr.String())
	}
	return stdout.String()
}
