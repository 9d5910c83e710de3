package cluster

import (
	"fmt"
	"sync"
	"testing"

	"github.com/kmsd/kmsd/internal/testkit/sdktest"
)

// TestCrashSQLiteLosesNoAcknowledgedWrite runs a write load (create-key,
// encrypt-data, update-key-description) against one kmsd on the embedded
// SQLite store, SIGKILLs it mid-load, starts it again on the same data
// directory and checks that every acknowledged write is there: commits are
// fsync'd before kmsd answers.
func TestCrashSQLiteLosesNoAcknowledgedWrite(t *testing.T) {
	c := &cluster{t: t, root: newRootKey(t), env: []string{"KMSD_KEY_QUOTA=100000"}}
	t.Cleanup(c.cleanup)
	dir := dataDir(t, c.root)
	args := []string{"serve", "--data", dir, "--listen", "127.0.0.1:0"}
	p := c.spawnArgs(args...)
	c.waitReady(p)

	l := &load{stop: make(chan struct{}), acked: make(chan struct{}, 1<<16)}
	var wg sync.WaitGroup
	for w := range 4 {
		ws := &workerState{cl: p.client(t), name: fmt.Sprintf("w%d", w)}
		ws.key = sdktest.MustCreateKey(t, ws.cl, ws.name, nil)
		l.workers = append(l.workers, ws)
		wg.Go(func() { l.run(ws) })
	}
	l.waitAcks(t, 400)
	p.kill()
	close(l.stop)
	wg.Wait()

	again := c.spawnArgs(args...)
	c.waitReady(again)
	cl := again.client(t)
	for _, ws := range l.workers {
		ws.verify(t, []*kmsClient{cl})
		t.Logf("%s: %d keys, %d ciphertexts acknowledged before the kill", ws.name, len(ws.keys), len(ws.cts))
	}
}
