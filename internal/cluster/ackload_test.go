package cluster

import (
	"encoding/json"
	"fmt"
	"maps"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/testkit/sdktest"
)

// ackLoad is a write load (create-key, encrypt-data) whose acknowledged
// results can be read while it runs: a result is recorded after its
// response, so a snapshot of them holds only what was acknowledged before.
type ackLoad struct {
	mu   sync.Mutex
	keys map[string]string // key id -> alias
	cts  map[string]string // ciphertext -> plaintext
	errs []error
	stop chan struct{}
	wg   sync.WaitGroup
}

// startAckLoad runs workers goroutines against cl until halt.
func startAckLoad(t *testing.T, cl *kmsClient, workers int, name string) *ackLoad {
	t.Helper()
	l := &ackLoad{keys: map[string]string{}, cts: map[string]string{}, stop: make(chan struct{})}
	for w := range workers {
		own := sdktest.MustCreateKey(t, cl, fmt.Sprintf("%s-w%d", name, w), nil)
		l.wg.Go(func() { l.work(cl, own, fmt.Sprintf("%s-w%d", name, w)) })
	}
	return l
}

func (l *ackLoad) work(cl *kmsClient, own, name string) {
	for i := 0; ; i++ {
		select {
		case <-l.stop:
			return
		default:
		}
		tag := fmt.Sprintf("%s-%d", name, i)
		var err error
		if i%2 == 0 {
			var id string
			if id, err = sdktest.CreateKey(cl, tag, nil); err == nil {
				l.record(l.keys, id, tag)
			}
		} else {
			var ct string
			if ct, err = encrypt(cl, own, tag); err == nil {
				l.record(l.cts, ct, tag)
			}
		}
		if err != nil {
			l.mu.Lock()
			l.errs = append(l.errs, fmt.Errorf("%s: %w", tag, err))
			l.mu.Unlock()
			return
		}
	}
}

func (l *ackLoad) record(m map[string]string, k, v string) {
	l.mu.Lock()
	m[k] = v
	l.mu.Unlock()
}

// acked returns copies of what has been acknowledged so far.
func (l *ackLoad) acked() (keys, cts map[string]string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return maps.Clone(l.keys), maps.Clone(l.cts)
}

// waitAcked waits until n more results are acknowledged (at most a minute).
func (l *ackLoad) waitAcked(t *testing.T, n int) {
	t.Helper()
	k, c := l.acked()
	want := len(k) + len(c) + n
	deadline := time.Now().Add(time.Minute)
	for {
		k, c = l.acked()
		if len(k)+len(c) >= want {
			return
		}
		l.mu.Lock()
		errs := l.errs
		l.mu.Unlock()
		if len(errs) > 0 {
			t.Fatalf("the load failed: %v", errs)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the load stalled: %d of %d results in a minute", len(k)+len(c), want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// halt stops the load and fails t if any request failed.
func (l *ackLoad) halt(t *testing.T) {
	t.Helper()
	close(l.stop)
	l.wg.Wait()
	for _, err := range l.errs {
		t.Errorf("load: %v", err)
	}
}

// check verifies on cl that every key of keys describes with its alias and
// every ciphertext of cts decrypts to its plaintext.
func check(t *testing.T, cl *kmsClient, keys, cts map[string]string) {
	t.Helper()
	for id, alias := range keys {
		if d, err := sdktest.Describe(cl, id); err != nil || deref(d.KeyAlias) != alias {
			t.Errorf("acknowledged key %s (%s) lost: %v", id, alias, err)
		}
	}
	for ct, plain := range cts {
		if got, err := decrypt(cl, ct); err != nil || got != plain {
			t.Errorf("acknowledged ciphertext of %q does not decrypt: %q %v", plain, got, err)
		}
	}
}

// kmsd runs one kmsd command to its end with the nodes' environment and
// returns its stdout; a failure shows its stderr.
func kmsd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(kmsdBin(t), args...)
	cmd.Env = nodeEnv()
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); ok {
		err = fmt.Errorf("kmsd %v: %w\n%s", args, err, ee.Stderr)
	}
	return string(out), err
}

// mustKmsd is kmsd failing t on error.
func mustKmsd(t *testing.T, args ...string) string {
	t.Helper()
	out, err := kmsd(t, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// adminCredential creates an access key of the bootstrap project with
// "kmsd admin credential create" on data directory dir.
func adminCredential(t *testing.T, dir string) sdktest.Credential {
	t.Helper()
	var out struct {
		AccessKey string `json:"access_key"`
		SecretKey string `json:"secret_key"`
	}
	if err := json.Unmarshal([]byte(mustKmsd(t, "admin", "credential", "create", "--project", testProject, "--data", dir)), &out); err != nil {
		t.Fatal(err)
	}
	return sdktest.Credential{AK: out.AccessKey, SK: out.SecretKey, ProjectID: testProject}
}
