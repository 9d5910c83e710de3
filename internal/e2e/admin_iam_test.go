package e2e

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/cli"
	"github.com/kmsd/kmsd/internal/iam"
	"github.com/kmsd/kmsd/internal/testkit/sdktest"
)

// admin runs "kmsd admin ARGS --data <the node's directory>" and returns
// its exit code and output.
func (nd *node) admin(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := cli.Env{Stdout: &out, Stderr: &errOut, Lookup: func(string) (string, bool) { return "", false }}
	code := cli.Main(append(append([]string{"admin"}, args...), "--data", nd.cfg.DataDir), env)
	return code, out.String() + errOut.String()
}

// TestAdminIAMCommands drives the operator's IAM commands against the store
// of a running node (SQLite, another store handle: no notification reaches
// the node, the identity caches' TTL does): put a user in a group, attach a
// policy, list what the user may do, deactivate its access key, reset its
// password, and the refusal to disable the last administrator.
func TestAdminIAMCommands(t *testing.T) {
	nd := startNode(t)
	ops := newMember(t, nd, nd.iamAdmin(), "ops", "")
	mustAdmin := func(args ...string) string {
		t.Helper()
		code, out := nd.admin(t, args...)
		if code != 0 {
			t.Fatalf("kmsd admin %v: exit %d: %s", args, code, out)
		}
		return out
	}
	if out := mustAdmin("group", "add-user", "readers", "ops"); !strings.Contains(out, `"readers"`) {
		t.Fatalf("group add-user: %s", out)
	}
	mustAdmin("policy", "attach", "KMS CMKReadOnlyAccess", "readers", "--project", testRegion)
	var perms struct {
		Allowed []string `json:"allowed"`
	}
	if err := json.Unmarshal([]byte(mustAdmin("user", "permissions", "ops", "--project", testRegion)), &perms); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(perms.Allowed, " "), "list-keys") || strings.Contains(strings.Join(perms.Allowed, " "), "create-key") {
		t.Fatalf("permissions of ops: %v", perms.Allowed)
	}
	if err := listKeys(ops.kms); err != nil {
		t.Fatalf("list-keys after the CLI's grant: %v", err)
	}
	if out := mustAdmin("access-key", "list", "ops"); !strings.Contains(out, ops.ak) || !strings.Contains(out, `"active"`) {
		t.Fatalf("access-key list: %s", out)
	}
	if !strings.Contains(mustAdmin("user", "list"), `"ops"`) {
		t.Fatal("user list lacks ops")
	}

	mustAdmin("access-key", "disable", ops.ak)
	changed := time.Now()
	for listKeys(ops.kms) == nil {
		if time.Since(changed) > iam.CacheTTL+time.Second {
			t.Fatalf("a disabled access key still served %v after the command", time.Since(changed))
		}
		time.Sleep(50 * time.Millisecond)
	}
	sdktest.WantError(t, listKeys(ops.kms), 401, "APIGW.0301")
	t.Logf("the running node refused the key %v after the command (TTL %v)", time.Since(changed), iam.CacheTTL)

	var reset struct{ Password string }
	if err := json.Unmarshal([]byte(mustAdmin("user", "reset-password", "ops")), &reset); err != nil || reset.Password == "" {
		t.Fatalf("reset-password: %v", err)
	}
	if status, _, b := nd.do("POST", "/v3/auth/tokens", loginBody("admin", "ops", reset.Password), false, nil); status != 201 {
		t.Fatalf("login with the reset password: %d %s", status, b)
	}
	if code, out := nd.admin(t, "user", "disable", "admin"); code != 1 || !strings.Contains(out, "admin group") {
		t.Fatalf("disabling the last administrator: exit %d: %s", code, out)
	}
	mustAdmin("user", "delete", "ops")
}
