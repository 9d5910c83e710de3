package cluster

import (
	"context"
	"log/slog"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/config"
	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/server"
	"github.com/kmsd/kmsd/internal/testkit"
	"github.com/kmsd/kmsd/internal/testkit/pgtest"
)

// inCluster runs kmsd nodes inside the test process, each with its own
// store connection pool and LISTEN connection, on one fresh schema, sharing
// a root key, a clock and an action log.
type inCluster struct {
	t     *testing.T
	dsn   string
	root  []byte
	clock *testkit.Clock
	log   *actionLog
	boot  config.Bootstrap // identities every node bootstraps
}

func newInCluster(t *testing.T) *inCluster {
	t.Helper()
	return &inCluster{t: t, dsn: pgtest.DSN(t), root: newRootKey(t),
		clock: testkit.NewClock(time.Now().UTC()), log: newActionLog(),
		boot: config.Bootstrap{Region: testRegion, Domain: "admin", User: "admin",
			Password: testPass, ProjectID: testProject, AccessKey: testAK, SecretKey: testSK}}
}

// inNode is one in-process node.
type inNode struct {
	n    *server.Node
	done chan error
}

// open starts a node. With serve, it also accepts HTTP on 127.0.0.1:0 and
// runs its cache watcher (background jobs tick hourly: tests run them
// explicitly).
func (c *inCluster) open(ctx context.Context, serve bool) (*inNode, error) {
	cfg := config.Default()
	cfg.Store, cfg.Postgres = "postgres", c.dsn
	cfg.DataDir = dataDir(c.t, c.root)
	cfg.Listen, cfg.JobInterval = "127.0.0.1:0", time.Hour
	cfg.KeyQuota = 1000 // more than Huawei's default 20, as nodeEnv
	cfg.Bootstrap = c.boot
	n, err := server.Open(ctx, cfg, server.Options{Clock: c.clock.Now, Logger: slog.New(c.log)})
	if err != nil {
		return nil, err
	}
	nd := &inNode{n: n}
	if serve {
		l, err := net.Listen("tcp", cfg.Listen)
		if err != nil {
			n.Close()
			return nil, err
		}
		nd.done = make(chan error, 1)
		go func() { nd.done <- n.Serve(l) }()
	}
	return nd, nil
}

// mustOpen starts a node and closes it at cleanup.
func (c *inCluster) mustOpen(serve bool) *inNode {
	c.t.Helper()
	nd, err := c.open(context.Background(), serve)
	if err != nil {
		c.t.Fatalf("open node: %v", err)
	}
	c.t.Cleanup(func() { nd.close(c.t) })
	return nd
}

// close stops the node; closing twice is a no-op.
func (nd *inNode) close(t testing.TB) {
	if nd.n == nil {
		return
	}
	if err := nd.n.Close(); err != nil {
		t.Errorf("close node: %v", err)
	}
	if nd.done != nil {
		<-nd.done
	}
	nd.n = nil
}

// caller is the bootstrap principal of the node's project.
func (nd *inNode) caller() domain.Caller {
	b := nd.n.Bootstrap
	return domain.Caller{DomainID: b.DomainID, ProjectID: b.ProjectID, Region: b.Region}
}

// actionLog is a slog.Handler shared by in-process nodes that counts the
// background actions they log ("rotating key", "deleting key", "imported
// material expired") per key and version.
type actionLog struct {
	mu     sync.Mutex
	counts map[action]int
}

// action is one logged background action.
type action struct {
	msg, keyID string
	version    int64
}

func newActionLog() *actionLog { return &actionLog{counts: map[action]int{}} }

func (l *actionLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *actionLog) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *actionLog) WithGroup(string) slog.Handler            { return l }

// Handle implements slog.Handler.
func (l *actionLog) Handle(_ context.Context, r slog.Record) error {
	switch r.Message {
	case "rotating key", "deleting key", "imported material expired":
	default:
		return nil
	}
	a := action{msg: r.Message}
	r.Attrs(func(at slog.Attr) bool {
		switch at.Key {
		case "key_id":
			a.keyID = at.Value.String()
		case "version":
			if at.Value.Kind() == slog.KindInt64 {
				a.version = at.Value.Int64()
			}
		}
		return true
	})
	l.mu.Lock()
	l.counts[a]++
	l.mu.Unlock()
	return nil
}

// snapshot returns a copy of the counts.
func (l *actionLog) snapshot() map[action]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make(map[action]int, len(l.counts))
	for k, v := range l.counts {
		out[k] = v
	}
	return out
}
