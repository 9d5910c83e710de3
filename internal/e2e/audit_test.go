package e2e

import (
	"bytes"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"

	"github.com/kmsd/kmsd/internal/audit"
)

// breakableLog is an audit log destination that fails every write once
// broken, like a full disk.
type breakableLog struct {
	broken atomic.Bool
	mu     sync.Mutex
	lines  bytes.Buffer
}

func (l *breakableLog) Write(p []byte) (int, error) {
	if l.broken.Load() {
		return 0, errors.New("no space left on device")
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lines.Write(p)
}

// startAuditedNode starts a node whose audit log goes through the
// BatchWriter kmsd serve uses, into out.
func startAuditedNode(t *testing.T, out interface{ Write([]byte) (int, error) }, opts ...option) *node {
	t.Helper()
	w := audit.NewBatchWriter(out)
	t.Cleanup(func() { w.Close() }) // after the node has stopped
	nd := newNode(t, opts...)
	nd.auditLog = w
	nd.start()
	t.Cleanup(nd.stop)
	return nd
}

// TestAuditFailureFailsWritesClosed: when the audit log cannot be written,
// a write operation answers 503 KMS.0104 instead of its success (its change
// was made: the answer says it may have been), while the data plane,
// recorded after its response, goes on answering. The metrics count what
// the clients were told.
func TestAuditFailureFailsWritesClosed(t *testing.T) {
	const token = "metrics-token-0123456789"
	log := &breakableLog{}
	nd := startAuditedNode(t, log, withMetricsToken(t, token))
	c := nd.client()
	id := createKey(t, c, "audited", nil)
	log.broken.Store(true)

	_, err := c.CreateKey(&model.CreateKeyRequest{Body: &model.CreateKeyRequestBody{KeyAlias: "unrecorded"}})
	wantErr(t, err, 503, "KMS.0104")
	_, err = c.DisableKey(&model.DisableKeyRequest{Body: operate(id)})
	wantErr(t, err, 503, "KMS.0104")
	if state := describe(t, c, id).KeyState; state == nil || *state != "3" {
		t.Fatalf("disable-key answered 503 but was made: key state %v, want 3", state)
	}
	_, err = c.EnableKey(&model.EnableKeyRequest{Body: operate(id)})
	wantErr(t, err, 503, "KMS.0104")
	encryptOK(t, c, id, "data plane", "", nil)

	_, _, body := getMetrics(t, nd.url, token)
	for _, want := range []string{
		`kmsd_requests_total{action="create-key",status="200"} 1` + "\n",
		`kmsd_requests_total{action="create-key",status="503"} 1` + "\n",
		`kmsd_requests_total{action="disable-key",status="503"} 1` + "\n",
		`kmsd_requests_total{action="encrypt-data",status="200"} 1` + "\n",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, `action="disable-key",status="200"`) {
		t.Errorf("metrics count the unacknowledged disable-key as a success:\n%s", body)
	}
}

// gatedLog is an audit log destination that holds every write carrying a
// line of action until released.
type gatedLog struct {
	action   string
	arrived  chan string // the held write
	released chan struct{}
	release  func()
}

func newGatedLog(action string) *gatedLog {
	g := &gatedLog{action: action, arrived: make(chan string, 1), released: make(chan struct{})}
	g.release = sync.OnceFunc(func() { close(g.released) })
	return g
}

func (g *gatedLog) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte(`"action":"`+g.action+`"`)) {
		g.arrived <- string(p)
		<-g.released
	}
	return len(p), nil
}

// TestAuditRecordPrecedesWriteResponse: the audit line of a write, with the
// status and key id its response carries, reaches the log's destination
// before the client has the response.
func TestAuditRecordPrecedesWriteResponse(t *testing.T) {
	g := newGatedLog("create-key")
	nd := startAuditedNode(t, g)
	t.Cleanup(g.release) // before the node stops, should the test fail
	c := nd.client()
	type result struct {
		id  string
		err error
	}
	answered := make(chan result, 1)
	go func() {
		resp, err := c.CreateKey(&model.CreateKeyRequest{Body: &model.CreateKeyRequestBody{KeyAlias: "gated"}})
		if err != nil {
			answered <- result{err: err}
			return
		}
		answered <- result{id: *resp.KeyInfo.KeyId}
	}()
	var line string
	select {
	case line = <-g.arrived:
	case r := <-answered:
		t.Fatalf("create-key answered (%v) before its audit line was written", r)
	case <-time.After(10 * time.Second):
		t.Fatal("no audit line for create-key")
	}
	select {
	case r := <-answered:
		t.Fatalf("create-key answered (%v) while its audit line was still being written", r)
	case <-time.After(200 * time.Millisecond):
	}
	g.release()
	r := <-answered
	if r.err != nil {
		t.Fatal(r.err)
	}
	if !strings.Contains(line, `"status":200,`) || !strings.Contains(line, `"key_id":"`+r.id+`"`) {
		t.Fatalf("audit line %s, want status 200 and key %s", line, r.id)
	}
}
