package e2e

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"

	"github.com/kmsd/kmsd/internal/config"
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

// startAuditedNode starts a node whose audit trail goes to out, written
// through before each record returns.
func startAuditedNode(t *testing.T, out io.Writer, opts ...option) *node {
	t.Helper()
	nd := newNode(t, opts...)
	nd.auditLog = out
	nd.start()
	t.Cleanup(nd.stop)
	return nd
}

func withAudit(durable, onFailure string) option {
	return func(c *config.Config) { c.Audit.Durable, c.Audit.OnFailure = durable, onFailure }
}

// TestAuditFailureFailsClosed: when the audit trail cannot be written,
// every request is answered 503 KMS.0104 instead of its result (a write's
// change was made: the answer says it may have been), and /readyz says the
// node is not ready. With audit.durable=writes the data plane, recorded
// after its answer, goes on; with audit.on_failure=serve everything does.
// The metrics count what the clients were told.
func TestAuditFailureFailsClosed(t *testing.T) {
	const token = "metrics-token-0123456789"
	log := &breakableLog{}
	nd := startAuditedNode(t, log, withMetricsToken(t, token), withAudit("all", "refuse"))
	c := nd.client()
	id := createKey(t, c, "audited", nil)
	log.broken.Store(true)

	_, err := c.CreateKey(&model.CreateKeyRequest{Body: &model.CreateKeyRequestBody{KeyAlias: "unrecorded"}})
	wantErr(t, err, 503, "KMS.0104")
	_, err = c.DisableKey(&model.DisableKeyRequest{Body: operate(id)})
	wantErr(t, err, 503, "KMS.0104")
	_, err = c.EncryptData(&model.EncryptDataRequest{Body: &model.EncryptDataRequestBody{KeyId: id, PlainText: "x"}})
	wantErr(t, err, 503, "KMS.0104")
	if st, _, body := nd.do("GET", "/readyz", "", false, nil); st != 503 || !strings.Contains(body, "audit trail") {
		t.Errorf("/readyz with a broken trail: %d %s", st, body)
	}
	log.broken.Store(false)
	if state := describe(t, c, id).KeyState; state == nil || *state != "3" {
		t.Fatalf("disable-key answered 503 but was made: key state %v, want 3", state)
	}

	_, _, body := getMetrics(t, nd.url, token)
	for _, want := range []string{
		`kmsd_requests_total{action="create-key",status="200"} 1` + "\n",
		`kmsd_requests_total{action="create-key",status="503"} 1` + "\n",
		`kmsd_requests_total{action="disable-key",status="503"} 1` + "\n",
		`kmsd_requests_total{action="encrypt-data",status="503"} 1` + "\n",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, `action="disable-key",status="200"`) {
		t.Errorf("metrics count the unacknowledged disable-key as a success:\n%s", body)
	}

	t.Run("durable writes only", func(t *testing.T) {
		log := &breakableLog{}
		nd := startAuditedNode(t, log, withAudit("writes", "refuse"))
		c := nd.client()
		id := createKey(t, c, "audited", nil)
		log.broken.Store(true)
		_, err := c.EnableKey(&model.EnableKeyRequest{Body: operate(id)})
		wantErr(t, err, 503, "KMS.0104")
		encryptOK(t, c, id, "data plane", "", nil)
	})
	t.Run("fail open", func(t *testing.T) {
		log := &breakableLog{}
		nd := startAuditedNode(t, log, withAudit("all", "serve"))
		c := nd.client()
		log.broken.Store(true)
		id := createKey(t, c, "unaudited-but-served", nil)
		encryptOK(t, c, id, "data plane", "", nil)
	})
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
	if !strings.Contains(line, `"code":"200"`) || !strings.Contains(line, `"resource_id":"`+r.id+`"`) {
		t.Fatalf("audit line %s, want code 200 and key %s", line, r.id)
	}
}
