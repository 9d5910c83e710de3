package cluster

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/rootkey"
	"github.com/kmsd/kmsd/internal/store/postgres"
	"github.com/kmsd/kmsd/internal/testkit/pgtest"
)

// Fixed bootstrap identities of every test cluster: every node is started
// with the same KMSD_BOOTSTRAP_* values, as an operator would.
const (
	testAK      = "KMSDCLUSTERAK0123456"
	testSK      = "KmsdClusterSecretKey0123456789abcdefghij"
	testProject = "5c1a2b3c4d5e6f708192a3b4c5d6e7f8"
	testRegion  = "local-1"
	testPass    = "cluster horse battery staple"
)

// startTimeout bounds how long a node may take to start listening.
const startTimeout = 60 * time.Second

// cluster is a set of kmsd processes sharing one PostgreSQL schema and one
// root key.
type cluster struct {
	t     *testing.T
	dsn   string
	root  []byte   // root.key contents copied to every node
	env   []string // extra KMSD_* settings
	nodes []*proc
	seq   int
}

// proc is one kmsd process.
type proc struct {
	name   string
	url    string
	cmd    *exec.Cmd
	log    *procLog
	exited chan struct{}
}

// startCluster starts n kmsd processes on a fresh schema, all at once (so
// their bootstraps race), and waits until every one answers /readyz. env
// holds extra "KMSD_X=v" settings. Cleanup stops them.
func startCluster(t *testing.T, n int, env ...string) *cluster {
	t.Helper()
	c := &cluster{t: t, dsn: pgtest.DSN(t), root: newRootKey(t), env: env}
	t.Cleanup(c.cleanup)
	for range n {
		c.spawn()
	}
	for _, p := range c.nodes {
		c.waitReady(p)
	}
	return c
}

// newRootKey creates a software root key file and returns its contents.
func newRootKey(t *testing.T) []byte {
	t.Helper()
	dir := t.TempDir()
	rk, err := rootkey.OpenFile(dir)
	if err != nil {
		t.Fatalf("root key: %v", err)
	}
	rk.Close()
	b, err := os.ReadFile(filepath.Join(dir, rootkey.FileName))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// dataDir returns a new node data directory holding the shared root key
// (0600, as the root key file requires).
func dataDir(t *testing.T, root []byte) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, rootkey.FileName), root, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// spawn starts one more kmsd process without waiting for it.
func (c *cluster) spawn() *proc { return c.spawnWithRoot(c.root) }

// spawnWithRoot starts one more kmsd process with the given root key file
// contents; cleanup stops it.
func (c *cluster) spawnWithRoot(root []byte) *proc {
	c.t.Helper()
	return c.spawnArgs("serve", "--store", "postgres", "--postgres-dsn", c.dsn,
		"--data", dataDir(c.t, root), "--listen", "127.0.0.1:0")
}

// spawnArgs starts one more kmsd process with the given arguments.
func (c *cluster) spawnArgs(args ...string) *proc {
	c.t.Helper()
	c.seq++
	p := &proc{name: fmt.Sprintf("node%d", c.seq), log: newProcLog(), exited: make(chan struct{})}
	p.cmd = exec.Command(kmsdBin(c.t), args...)
	p.cmd.Env = append(nodeEnv(), c.env...)
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	if err := startChild(p.cmd); err != nil {
		c.t.Fatalf("start %s: %v", p.name, err)
	}
	go func() { p.cmd.Wait(); close(p.exited) }()
	c.nodes = append(c.nodes, p)
	return p
}

// spawner runs the process starts of startChild on one OS thread that
// never exits. Linux sends the parent-death signal when the thread that
// forked the child ends, not the process, and the Go runtime may end the
// thread a goroutine ran on (go.dev/issue/27505).
var spawner = sync.OnceValue(func() chan<- func() {
	ch := make(chan func())
	go func() {
		runtime.LockOSThread() // never unlocked: the thread lives as long as the process
		for f := range ch {
			f()
		}
	}()
	return ch
})

// startChild starts cmd with childAttr(), from the spawner's thread.
func startChild(cmd *exec.Cmd) error {
	cmd.SysProcAttr = childAttr()
	done := make(chan error)
	spawner() <- func() { done <- cmd.Start() }
	return <-done
}

// nodeEnv is the environment of every node: the caller's without KMSD_*
// variables, plus the fixed bootstrap identities.
func nodeEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "KMSD_") {
			env = append(env, kv)
		}
	}
	// KMSD_KEY_QUOTA: tests create more keys than Huawei's default 20; a
	// test's own value, appended later, wins.
	return append(env, "KMSD_PRINT_ENV=false", "KMSD_REGION="+testRegion, "KMSD_KEY_QUOTA=1000",
		"KMSD_BOOTSTRAP_DOMAIN=admin", "KMSD_BOOTSTRAP_USER=admin",
		"KMSD_BOOTSTRAP_PASSWORD="+testPass, "KMSD_BOOTSTRAP_PROJECT_ID="+testProject,
		"KMSD_BOOTSTRAP_ACCESS_KEY="+testAK, "KMSD_BOOTSTRAP_SECRET_KEY="+testSK)
}

// waitReady waits for p to log its URL and answer /readyz with 200.
func (c *cluster) waitReady(p *proc) {
	c.t.Helper()
	deadline := time.After(startTimeout)
	select {
	case <-p.log.ready:
	case <-p.exited:
		c.t.Fatalf("%s exited during start: %v\n%s", p.name, p.cmd.ProcessState, p.log.tail())
	case <-deadline:
		c.t.Fatalf("%s did not start within %v\n%s", p.name, startTimeout, p.log.tail())
	}
	p.url = p.log.url()
	for {
		resp, err := http.Get(p.url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-deadline:
			c.t.Fatalf("%s: /readyz not ready within %v: %v", p.name, startTimeout, err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// kill SIGKILLs p (its process group, where it has one) and waits for it
// to die.
func (p *proc) kill() {
	killChild(p.cmd.Process)
	<-p.exited
}

// stop sends SIGTERM, then SIGKILL if p has not exited after 15 s.
func (p *proc) stop() {
	select {
	case <-p.exited:
		return
	default:
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(15 * time.Second):
		p.kill()
	}
}

// cleanup stops every node and, when the test failed, shows their logs.
func (c *cluster) cleanup() {
	for _, p := range c.nodes {
		p.stop()
		if c.t.Failed() {
			c.t.Logf("--- log of %s (%s) ---\n%s", p.name, p.url, p.log.tail())
		}
	}
}

// userID returns the id of a user of the bootstrap account, read from the
// cluster's store.
func userID(t *testing.T, c *cluster, name string) string {
	t.Helper()
	ctx := context.Background()
	st, err := postgres.Open(ctx, c.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a, err := st.GetAccountByName(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	u, err := st.GetUserByName(ctx, a.ID, name)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}
