package cluster

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/auth/sigv"
	"github.com/kmsd/kmsd/internal/testkit/sdktest"
)

// TestCrashAuditTrailHoldsEveryAcknowledgedRequest runs encrypt-data and
// create-key from four clients against one kmsd (the audit trail in its
// data directory, every request durable before its answer), SIGKILLs it
// mid-load and starts it again on the same directory: every request id
// kmsd acknowledged with a 2xx is in the trail, the restarted node
// continues the chain, and "kmsd audit verify" passes on the trail and
// finds a deleted and an edited line.
func TestCrashAuditTrailHoldsEveryAcknowledgedRequest(t *testing.T) {
	c := &cluster{t: t, root: newRootKey(t), env: []string{"KMSD_KEY_QUOTA=100000", "KMSD_AUDIT_DURABLE=all"}}
	t.Cleanup(c.cleanup)
	dir := dataDir(t, c.root)
	args := []string{"serve", "--data", dir, "--listen", "127.0.0.1:0"}
	p := c.spawnArgs(args...)
	c.waitReady(p)
	key := sdktest.MustCreateKey(t, p.client(t), "audited", nil)

	var mu sync.Mutex
	var acked []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				action, body := "encrypt-data", fmt.Sprintf(`{"key_id":%q,"plain_text":"w%d-%d"}`, key, w, i)
				if i%5 == 0 {
					action, body = "create-key", fmt.Sprintf(`{"key_alias":"w%d-%d"}`, w, i)
				}
				id, err := signedPost(p.url, action, body)
				if err != nil {
					return // the node is gone
				}
				mu.Lock()
				acked = append(acked, id)
				mu.Unlock()
			}
		})
	}
	waitFor(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(acked) >= 600 })
	p.kill()
	close(stop)
	wg.Wait()

	again := c.spawnArgs(args...)
	c.waitReady(again)
	after, err := signedPost(again.url, "encrypt-data", fmt.Sprintf(`{"key_id":%q,"plain_text":"after"}`, key))
	if err != nil {
		t.Fatal(err)
	}
	again.stop()

	file := filepath.Join(dir, "audit.log")
	ids := trailIDs(t, file)
	for _, id := range append(acked, after) {
		if !ids[id] {
			t.Errorf("acknowledged request %s is not in the audit trail", id)
		}
	}
	t.Logf("%d acknowledged requests, %d records in the trail", len(acked)+1, len(ids))
	if out, err := verify(t, dir, file); err != nil || !strings.HasPrefix(out, "ok: ") {
		t.Fatalf("audit verify of the intact trail: %v\n%s", err, out)
	}

	lines := strings.SplitAfter(string(must(os.ReadFile(file))), "\n")
	lines = lines[:len(lines)-1]
	n := len(lines) / 2
	for name, tc := range map[string]struct {
		lines []string
		want  string
	}{
		"deleted": {append(append([]string(nil), lines[:n]...), lines[n+1:]...), fmt.Sprintf(":%d: record %d: missing", n+1, n+1)},
		"edited": {append(append(append([]string(nil), lines[:n]...),
			strings.Replace(lines[n], `"code":"200"`, `"code":"404"`, 1)), lines[n+1:]...), fmt.Sprintf(":%d: record %d: mac does not match", n+1, n+1)},
	} {
		f := filepath.Join(t.TempDir(), "audit.log")
		if err := os.WriteFile(f, []byte(strings.Join(tc.lines, "")), 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := verify(t, dir, f); err == nil || !strings.Contains(out, tc.want) {
			t.Errorf("audit verify of a trail with a line %s: %v\n%s; want %q", name, err, out, tc.want)
		}
	}
}

// signedPost sends a KMS action signed with the bootstrap credential and
// returns the request id of a 2xx answer.
func signedPost(url, action, body string) (string, error) {
	req, err := http.NewRequest("POST", url+"/v1.0/"+testProject+"/kms/"+action, strings.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json;charset=UTF-8")
	if err := sigv.Sign(req, []byte(body), testAK, testSK, time.Now()); err != nil {
		return "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return "", fmt.Errorf("%s: HTTP %d", action, resp.StatusCode)
	}
	return resp.Header.Get("X-Request-Id"), nil
}

// trailIDs reads the trace ids of the request records in file.
func trailIDs(t *testing.T, file string) map[string]bool {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ids := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r struct{ TraceType, TraceID string }
		var raw map[string]any
		if err := json.Unmarshal(sc.Bytes(), &raw); err != nil {
			t.Fatalf("trail line %q: %v", sc.Text(), err)
		}
		r.TraceType, _ = raw["trace_type"].(string)
		r.TraceID, _ = raw["trace_id"].(string)
		if r.TraceType == "ApiCall" {
			ids[r.TraceID] = true
		}
	}
	return ids
}

// verify runs "kmsd audit verify file" with the data directory's root key.
func verify(t *testing.T, dir, file string) (string, error) {
	cmd := exec.Command(kmsdBin(t), "audit", "verify", "--data", dir, file)
	cmd.Env = nodeEnv()
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// waitFor polls cond for at most a minute.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("the load stalled for a minute")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
