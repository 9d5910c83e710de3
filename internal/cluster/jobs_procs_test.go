package cluster

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"

	"github.com/kmsd/kmsd/internal/testkit/sdktest"
)

// TestCrashImportExpiryOnceAcrossProcesses imports material that expires in a
// few seconds into several keys of a three-process cluster whose nodes run
// their jobs every 100 ms, SIGKILLs one node and starts another around the
// expiry, and checks that every key returns to pending import and that no
// expiry is logged twice across all nodes' logs. A node killed mid-action
// may take at most one unlogged (in-doubt) action with it.
func TestCrashImportExpiryOnceAcrossProcesses(t *testing.T) {
	const keys = 20
	c := startCluster(t, 3, "KMSD_JOB_INTERVAL=100ms")
	cl := c.nodes[0].client(t)
	// Time to import every key first (an expiry must be in the future):
	// four requests per key, each waiting for its audit record's fsync, on
	// a machine that may be busy.
	expiry := time.Now().Add(2*time.Second + keys*600*time.Millisecond).Truncate(time.Second)
	var ids []string
	for i := range keys {
		ids = append(ids, importExpiring(t, cl, fmt.Sprintf("expiring-%d", i), expiry.Unix()))
	}
	time.Sleep(time.Until(expiry))
	c.nodes[1].kill()
	c.waitReady(c.spawn())
	waitPendingImport(t, c.nodes[2].client(t), ids)
	counts := map[string]int{}
	for _, p := range c.nodes {
		n := 0
		for id, k := range expiryLog(p.log.text()) {
			counts[id] += k
			n += k
		}
		t.Logf("%s logged %d expiries", p.name, n)
	}
	logged := 0
	for _, id := range ids {
		if counts[id] > 1 {
			t.Errorf("expiry of key %s logged %d times", id, counts[id])
		}
		logged += counts[id]
	}
	if logged < keys-1 {
		t.Errorf("only %d of %d expiries logged; at most one may die with the killed node", logged, keys)
	}
}

// importExpiring creates an external key and imports material expiring at
// the Unix second exp.
func importExpiring(t *testing.T, c *kmsClient, alias string, exp int64) string {
	t.Helper()
	origin := model.GetCreateKeyRequestBodyOriginEnum().EXTERNAL
	resp, err := c.CreateKey(&model.CreateKeyRequest{Body: &model.CreateKeyRequestBody{KeyAlias: alias, Origin: &origin}})
	if err != nil {
		t.Fatalf("create external key: %v", err)
	}
	id := *resp.KeyInfo.KeyId
	importMaterialExpiring(t, c, id, &exp)
	return id
}

// waitPendingImport waits (at most 30 s) until every key is pending import.
func waitPendingImport(t *testing.T, c *kmsClient, ids []string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for _, id := range ids {
		for {
			d := sdktest.MustDescribe(t, c, id)
			if deref(d.KeyState) == "5" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("key %s still in state %s long after its material expired", id, deref(d.KeyState))
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}

// expiryLog counts the "imported material expired" log lines per key id.
func expiryLog(out string) map[string]int {
	counts := map[string]int{}
	for line := range strings.Lines(out) {
		var rec struct {
			Msg   string
			KeyID string `json:"key_id"`
		}
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "imported material expired" {
			counts[rec.KeyID]++
		}
	}
	return counts
}
