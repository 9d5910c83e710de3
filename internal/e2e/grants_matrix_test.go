package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"testing"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/op"
)

// fixture is what the owner prepares on a key so that every grantable
// operation has a valid request.
type fixture struct {
	key, dataCT, dekCT string
	grantID            string // the grantee's own grant (retire-grant probe)
}

var testDEK = make([]byte, 32)

// probeBodies holds a valid request body for every grantable operation; the
// action path is the operation's name. retire-grant comes last because it
// ends the grant.
var probeBodies = []struct {
	op   string
	body func(fx *fixture) any
}{
	{string(op.DescribeKey), func(fx *fixture) any { return map[string]string{"key_id": fx.key} }},
	{string(op.EncryptData), func(fx *fixture) any { return map[string]string{"key_id": fx.key, "plain_text": "hello"} }},
	{string(op.DecryptData), func(fx *fixture) any { return map[string]string{"key_id": fx.key, "cipher_text": fx.dataCT} }},
	{string(op.CreateDatakey), func(fx *fixture) any { return map[string]string{"key_id": fx.key, "datakey_length": "256"} }},
	{string(op.CreateDatakeyWithoutPlaintext), func(fx *fixture) any {
		return map[string]string{"key_id": fx.key, "datakey_length": "256"}
	}},
	{string(op.EncryptDatakey), func(fx *fixture) any {
		sum := sha256.Sum256(testDEK)
		return map[string]string{"key_id": fx.key, "datakey_plain_length": "32",
			"plain_text": hex.EncodeToString(append(slices.Clone(testDEK), sum[:]...))}
	}},
	{string(op.DecryptDatakey), func(fx *fixture) any {
		return map[string]string{"key_id": fx.key, "cipher_text": fx.dekCT, "datakey_cipher_length": "32"}
	}},
	{string(op.CreateGrant), func(fx *fixture) any {
		return map[string]any{"key_id": fx.key, "grantee_principal": "somebody0123", "operations": []string{string(op.DescribeKey)}}
	}},
	{string(op.RetireGrant), func(fx *fixture) any { return map[string]string{"key_id": fx.key, "grant_id": fx.grantID} }},
}

// TestProbesCoverGrantableOps keeps the matrix complete when an operation
// becomes grantable.
func TestProbesCoverGrantableOps(t *testing.T) {
	var ops []string
	for _, p := range probeBodies {
		ops = append(ops, p.op)
	}
	for _, op := range domain.GrantableOps {
		if !slices.Contains(ops, op) {
			t.Errorf("no probe for grantable operation %s", op)
		}
	}
}

// routeExists reports whether kmsd serves action: an unauthenticated call
// answers 401 on a served path and 400 KMS.0201 on an unknown one.
func routeExists(nd *node, action string) bool {
	_, _, body := nd.do(http.MethodPost, kmsPath(action), "{}", false, nil)
	return errCode(body) != "KMS.0201"
}

// TestGrantMatrix: for every grantable operation and every principal type
// (user and domain, same account and another account), the grantee can do
// exactly the granted operations (plus nothing else: 403 KMS.0306), and
// retiring the grant ends its access at once (404 KMS.0207).
func TestGrantMatrix(t *testing.T) {
	nd, owner, bob, carol := startTenants(t)
	exists := map[string]bool{}
	for _, p := range probeBodies {
		if exists[p.op] = routeExists(nd, p.op); !exists[p.op] {
			t.Logf("%s is not served yet: not probed", p.op)
		}
	}
	principals := []struct {
		name, typ, id string
		who           tenant
	}{
		{"user same account", domain.GranteeUser, bob.userID, bob},
		{"user other account", domain.GranteeUser, carol.userID, carol},
		{"domain same account", domain.GranteeDomain, bob.domainID, bob},
		{"domain other account", domain.GranteeDomain, carol.domainID, carol},
	}
	for _, name := range domain.GrantableOps {
		for _, pr := range principals {
			t.Run(name+"/"+pr.name, func(t *testing.T) {
				granted := []string{name}
				if name == string(op.CreateGrant) {
					granted = append(granted, string(op.DescribeKey)) // create-grant alone is KMS.2401
				}
				fx := ownerFixture(t, nd, owner, exists)
				fx.grantID = grantRaw(t, nd, owner, fx.key, pr.id, pr.typ, granted)
				checkProbes(t, nd, pr.who, fx, granted, exists)
				if !slices.Contains(granted, string(op.RetireGrant)) {
					st, b := nd.call(owner, http.MethodPost, "retire-grant", jsonBody(t, map[string]string{"key_id": fx.key, "grant_id": fx.grantID}))
					if st != 200 {
						t.Fatalf("owner retire-grant: %d %s", st, b)
					}
				}
				st, b := nd.call(pr.who, http.MethodPost, "describe-key", jsonBody(t, map[string]string{"key_id": fx.key}))
				if st != 404 || errCode(b) != "KMS.0207" {
					t.Fatalf("describe-key after the grant ended: %d %s, want 404 KMS.0207", st, b)
				}
			})
		}
	}
}

func checkProbes(t *testing.T, nd *node, who tenant, fx *fixture, granted []string, exists map[string]bool) {
	t.Helper()
	for _, p := range probeBodies {
		if !exists[p.op] {
			continue
		}
		st, b := nd.call(who, http.MethodPost, p.op, jsonBody(t, p.body(fx)))
		switch {
		case slices.Contains(granted, p.op) && st != 200:
			t.Errorf("granted %s: %d %s, want 200", p.op, st, b)
		case !slices.Contains(granted, p.op) && (st != 403 || errCode(b) != "KMS.0306"):
			t.Errorf("not granted %s: %d %s, want 403 KMS.0306", p.op, st, b)
		}
	}
}

// ownerFixture creates a key and, where those routes exist, a data
// ciphertext and a data key ciphertext under it.
func ownerFixture(t *testing.T, nd *node, owner tenant, exists map[string]bool) *fixture {
	t.Helper()
	fx := &fixture{key: createKey(t, nd.sdk(owner), "matrix-"+randomSuffix(t), nil)}
	if exists[string(op.EncryptData)] {
		fx.dataCT = ownerField(t, nd, owner, string(op.EncryptData), map[string]string{"key_id": fx.key, "plain_text": "fixture"}, "cipher_text")
	}
	if exists[string(op.CreateDatakeyWithoutPlaintext)] {
		fx.dekCT = ownerField(t, nd, owner, string(op.CreateDatakeyWithoutPlaintext), map[string]string{"key_id": fx.key, "datakey_length": "256"}, "cipher_text")
	}
	return fx
}

func ownerField(t *testing.T, nd *node, owner tenant, action string, body any, name string) string {
	t.Helper()
	st, b := nd.call(owner, http.MethodPost, action, jsonBody(t, body))
	if st != 200 {
		t.Fatalf("owner %s: %d %s", action, st, b)
	}
	return field(t, b, name)
}

// grantRaw creates a grant as the owner and returns its id.
func grantRaw(t *testing.T, nd *node, owner tenant, key, principal, typ string, ops []string) string {
	t.Helper()
	return ownerField(t, nd, owner, "create-grant", map[string]any{"key_id": key, "grantee_principal": principal,
		"grantee_principal_type": typ, "operations": ops}, "grant_id")
}
