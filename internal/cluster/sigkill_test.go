package cluster

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"

	"github.com/kmsd/kmsd/internal/testkit/sdktest"
)

// TestCrashNodeUnderWriteLoad runs create-key, encrypt-data and
// update-key-description on all three nodes, SIGKILLs node B mid-load and
// keeps the load going on A and C. Afterwards, on the survivors, every
// acknowledged key is describable, every acknowledged ciphertext decrypts
// (once encrypt-data is served), and every key's description is the last
// acknowledged one or the one in flight when B died. A and C never fail.
func TestCrashNodeUnderWriteLoad(t *testing.T) {
	c := startCluster(t, 3, "KMSD_KEY_QUOTA=100000")
	l := &load{stop: make(chan struct{}), acked: make(chan struct{}, 1<<16)}
	var wg sync.WaitGroup
	for i, p := range c.nodes {
		for w := range 3 {
			ws := &workerState{node: i, cl: p.client(t), name: fmt.Sprintf("%s-w%d", p.name, w)}
			ws.key = sdktest.MustCreateKey(t, ws.cl, ws.name, nil)
			l.workers = append(l.workers, ws)
			wg.Go(func() { l.run(ws) })
		}
	}
	l.waitAcks(t, 300)
	c.nodes[1].kill()
	t.Logf("SIGKILLed %s", c.nodes[1].name)
	l.waitAcks(t, 300)
	close(l.stop)
	wg.Wait()
	survivors := []*kmsClient{c.nodes[0].client(t), c.nodes[2].client(t)}
	for _, ws := range l.workers {
		if ws.node != 1 && ws.err != nil {
			t.Errorf("%s on a surviving node failed: %v", ws.name, ws.err)
		}
		ws.verify(t, survivors)
		t.Logf("%s: %d keys, %d ciphertexts acknowledged; stopped by %v", ws.name, len(ws.keys), len(ws.cts), ws.err)
	}
}

// load is the shared state of the write load.
type load struct {
	stop    chan struct{}
	acked   chan struct{} // one value per acknowledged operation
	workers []*workerState
}

// workerState is what one worker had acknowledged. Only its goroutine
// writes it until the load stops.
type workerState struct {
	node     int
	cl       *kmsClient
	name     string
	key      string            // the worker's own key, for encrypt and description updates
	keys     map[string]string // acknowledged create-key: id -> alias
	cts      map[string]string // acknowledged encrypt-data: ciphertext -> plaintext
	desc     string            // last acknowledged description
	inFlight string            // description being set when the worker stopped
	noData   bool              // encrypt-data is not served (yet)
	err      error             // the error that stopped the worker
}

// run issues operations round-robin until stop or the first error.
func (l *load) run(ws *workerState) {
	ws.keys, ws.cts = map[string]string{}, map[string]string{}
	for i := 0; i < 5000; i++ {
		select {
		case <-l.stop:
			return
		default:
		}
		if ws.err = ws.step(i); ws.err != nil {
			return
		}
		l.acked <- struct{}{}
	}
}

func (ws *workerState) step(i int) error {
	tag := fmt.Sprintf("%s-%d", ws.name, i)
	switch {
	case i%3 == 0:
		id, err := sdktest.CreateKey(ws.cl, tag, nil)
		if err == nil {
			ws.keys[id] = tag
		}
		return err
	case i%3 == 1 && !ws.noData:
		ct, err := encrypt(ws.cl, ws.key, tag)
		if routeMissing(err) {
			ws.noData = true
			return nil
		}
		if err == nil {
			ws.cts[ct] = tag
		}
		return err
	}
	ws.inFlight = tag
	_, err := ws.cl.UpdateKeyDescription(&model.UpdateKeyDescriptionRequest{
		Body: &model.UpdateKeyDescriptionRequestBody{KeyId: ws.key, KeyDescription: tag}})
	if err == nil {
		ws.desc, ws.inFlight = tag, ""
	}
	return err
}

// waitAcks waits for n more acknowledged operations (at most a minute).
func (l *load) waitAcks(t *testing.T, n int) {
	t.Helper()
	deadline := time.After(time.Minute)
	for range n {
		select {
		case <-l.acked:
		case <-deadline:
			t.Fatalf("the load stalled: fewer than %d acknowledged operations in a minute", n)
		}
	}
}

// verify checks everything ws had acknowledged on every surviving node.
func (ws *workerState) verify(t *testing.T, survivors []*kmsClient) {
	t.Helper()
	for _, cl := range survivors {
		for id, alias := range ws.keys {
			if d, err := sdktest.Describe(cl, id); err != nil || deref(d.KeyAlias) != alias {
				t.Errorf("%s: acknowledged key %s (%s) lost: %v", ws.name, id, alias, err)
			}
		}
		for ct, plain := range ws.cts {
			if got, err := decrypt(cl, ct); err != nil || got != plain {
				t.Errorf("%s: acknowledged ciphertext of %q does not decrypt: %q %v", ws.name, plain, got, err)
			}
		}
		d, err := sdktest.Describe(cl, ws.key)
		if err != nil {
			t.Errorf("%s: own key: %v", ws.name, err)
			continue
		}
		if got := deref(d.KeyDescription); got != ws.desc && (ws.inFlight == "" || got != ws.inFlight) {
			t.Errorf("%s: description %q, want the acknowledged %q (or in-flight %q)", ws.name, got, ws.desc, ws.inFlight)
		}
	}
}
