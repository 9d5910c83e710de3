package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kmsd/kmsd/internal/config"
	"github.com/kmsd/kmsd/internal/server"
	"github.com/kmsd/kmsd/internal/testkit/deps"
)

// readmeBlock returns the README's first ```lang block containing marker.
func readmeBlock(t *testing.T, lang, marker string) string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range strings.Split(string(b), "```"+lang+"\n")[1:] {
		block, _, _ := strings.Cut(part, "```")
		if strings.Contains(block, marker) {
			return block
		}
	}
	t.Fatalf("README.md has no ```%s block with %q", lang, marker)
	return ""
}

const readmePassword = "readme example password"

// startNode serves a fresh kmsd with the default bootstrap (and a known
// password) on 127.0.0.1, and returns its URL and the environment it
// prints for clients.
func startNode(t *testing.T) (string, []string) {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir, cfg.Listen, cfg.Bootstrap.Password = t.TempDir(), "127.0.0.1:0", readmePassword
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	node, err := server.Open(context.Background(), cfg, server.Options{Logger: quiet, AuditLog: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		node.Close()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- node.Serve(l) }()
	t.Cleanup(func() {
		node.Close()
		<-done
	})
	url := "http://" + l.Addr().String()
	var printed strings.Builder
	node.PrintEnv(&printed, url)
	var env []string
	for line := range strings.Lines(printed.String()) {
		if kv, ok := strings.CutPrefix(strings.TrimSpace(line), "export "); ok {
			env = append(env, kv)
		}
	}
	return url, env
}

var keyID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// TestReadmeGoProgram builds the README's Go program in the module and runs
// it with the environment kmsd prints: it must create a key.
func TestReadmeGoProgram(t *testing.T) {
	dir, err := os.MkdirTemp("../..", ".readme-program-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(readmeBlock(t, "go", "package main")), 0o600); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "readme")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = dir
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build of the README's program: %v\n%s", err, out)
	}
	os.RemoveAll(dir)
	_, env := startNode(t)
	run := exec.Command(bin)
	run.Env = append(os.Environ(), env...)
	out, err := run.CombinedOutput()
	if err != nil || !keyID.MatchString(strings.TrimSpace(string(out))) {
		t.Fatalf("the README's program: %v, %q", err, out)
	}
}

// TestReadmeCurl runs the README's curl example with bash against a node:
// a token for the bootstrap user, then create-key with it.
func TestReadmeCurl(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		deps.Curl.Skip(t, "curl is not in PATH: "+err.Error())
	}
	script := readmeBlock(t, "sh", "curl")
	url, env := startNode(t)
	script = strings.ReplaceAll(script, "http://127.0.0.1:8080", url)
	sh := exec.Command("bash", "-euo", "pipefail", "-c", script)
	sh.Env = append(os.Environ(), append(env, "KMSD_BOOTSTRAP_PASSWORD="+readmePassword)...)
	out, err := sh.CombinedOutput()
	if err != nil || !strings.Contains(string(out), `{"key_info":{"key_id":"`) {
		t.Fatalf("the README's curl example: %v\n%s", err, out)
	}
}
