package kmscli_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/kmsd/kmsd/internal/cli"
	"github.com/kmsd/kmsd/internal/config"
	"github.com/kmsd/kmsd/internal/kmscli"
	"github.com/kmsd/kmsd/internal/server"
)

// Fixed bootstrap identities of every script's node.
const (
	testAK      = "KMSDCLITESTAK0123456"
	testSK      = "KmsdCliTestSecretKey0123456789abcdefghij"
	testProject = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
	testPass    = "correct horse battery staple"
)

// TestMain makes the test binary the kmsd command of the scripts.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"kmsd": func() {
			os.Exit(cli.Main(os.Args[1:], cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}))
		},
	})
}

// TestScripts runs testdata/script/*.txtar: each starts a real kmsd on
// 127.0.0.1:0 with a fresh data directory and the environment kmsd serve
// prints, then drives it through the kmsd command.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:   "testdata/script",
		Setup: startNode,
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"capture": capture,
		},
	})
}

// capture NAME sets $NAME to the last command's standard output, trimmed.
func capture(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: capture NAME")
	}
	ts.Setenv(args[0], strings.TrimSpace(ts.ReadFile("stdout")))
}

// startNode starts a kmsd for one script and sets its client environment.
func startNode(e *testscript.Env) error {
	cfg := config.Default()
	cfg.DataDir = filepath.Join(e.WorkDir, ".kmsd-data")
	cfg.Listen = "127.0.0.1:0"
	cfg.JobInterval = time.Hour
	cfg.Bootstrap = config.Bootstrap{Region: "local-1", Domain: "admin", User: "admin",
		Password: testPass, ProjectID: testProject, AccessKey: testAK, SecretKey: testSK}
	n, err := server.Open(context.Background(), cfg, server.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), AuditLog: io.Discard})
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		n.Close()
		return err
	}
	done := make(chan error, 1)
	go func() { done <- n.Serve(l) }()
	e.Defer(func() {
		n.Close()
		<-done
	})
	e.Setenv(kmscli.EnvAK, testAK)
	e.Setenv(kmscli.EnvSK, testSK)
	e.Setenv(kmscli.EnvProjectID, testProject)
	e.Setenv(kmscli.EnvRegionPfx+"LOCAL_1", "http://"+l.Addr().String())
	e.Setenv("URL", "http://"+l.Addr().String())
	e.Setenv("PASSWORD", testPass)
	return nil
}

// Every operation of the table is driven by a script: its name follows
// "kms " in one of testdata/script/*.txtar.
func TestEveryOperationIsDrivenByAScript(t *testing.T) {
	files, err := filepath.Glob("testdata/script/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts: %v", err)
	}
	var all strings.Builder
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
	}
	for _, o := range kmscli.Operations() {
		if !regexp.MustCompile(`kms ` + o.Name + `\b`).MatchString(all.String()) {
			t.Errorf("no script runs kmsd kms %s", o.Name)
		}
	}
}
