package e2e

import (
	"crypto/elliptic"
	"encoding/asn1"
	"encoding/hex"
	"math/big"
	"strings"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"

	"github.com/kmsd/kmsd/internal/auth/sigv"
	"github.com/kmsd/kmsd/internal/config"
)

func withReplayGuard(mode string, capacity int) option {
	return func(c *config.Config) { c.ReplayGuard, c.ReplayGuardCapacity = mode, capacity }
}

const grantee = "0123456789abcdef0123456789abcdef"

// grantVia creates a grant on key through the SDK client c and returns the
// captured request.
func grantVia(t *testing.T, nd *node, rec *recorder, alg, key string) captured {
	t.Helper()
	_, err := createGrant(nd.sdkClientVia(rec.url, alg), model.CreateGrantRequestBody{
		KeyId: key, GranteePrincipal: grantee, Operations: []string{"describe-key"}})
	if err != nil {
		t.Fatalf("create-grant: %v", err)
	}
	return rec.lastRequest()
}

func grantCount(t *testing.T, nd *node, key string) int {
	t.Helper()
	resp := must[*model.ListGrantsResponse](t)(nd.client().ListGrants(&model.ListGrantsRequest{
		Body: &model.ListGrantsRequestBody{KeyId: key}}))
	return len(*resp.Grants)
}

// TestReplayWithoutGuard records the default, which is Huawei's: a captured
// create-grant replayed inside the window makes a grant each time, also
// with its ECDSA signature re-encoded (so the guard cannot key on
// signature bytes).
func TestReplayWithoutGuard(t *testing.T) {
	nd := startNode(t)
	rec := nd.recorder()
	key := createKey(t, nd.client(), "replayed", nil)
	c := grantVia(t, nd, rec, sigv.AlgECDSAP256SHA256, key)
	for _, r := range []captured{c, c, malleate(t, c)} {
		if status, _, body := nd.replay(r); status != 200 {
			t.Fatalf("replay: %d %s", status, body)
		}
	}
	if n := grantCount(t, nd, key); n != 4 {
		t.Fatalf("%d grants, want 4 (the original and three replays)", n)
	}
}

// TestReplayGuardRefusesRepeatedWrites: with the guard on, a captured
// create-grant replayed (for every algorithm; for ECDSA also with the
// signature re-encoded as (r, n-s), which verifies as well) answers 401
// and makes no grant; reads are replayable unless the guard covers all.
func TestReplayGuardRefusesRepeatedWrites(t *testing.T) {
	nd := startNode(t, withReplayGuard("writes", 1000))
	rec := nd.recorder()
	for _, alg := range sdkAlgorithms {
		t.Run(alg, func(t *testing.T) {
			key := createKey(t, nd.client(), "guarded-"+alg, nil)
			c := grantVia(t, nd, rec, alg, key)
			status, h, body := nd.replay(c)
			wantRaw(t, status, h, body, 401, "APIGW.0301")
			if alg == sigv.AlgECDSAP256SHA256 {
				status, h, body = nd.replay(malleate(t, c))
				wantRaw(t, status, h, body, 401, "APIGW.0301")
			}
			if n := grantCount(t, nd, key); n != 1 {
				t.Fatalf("%d grants after replays, want 1", n)
			}
			describe(t, nd.sdkClientVia(rec.url, alg), key)
			if status, _, body := nd.replay(rec.lastRequest()); status != 200 {
				t.Fatalf("describe-key replay with the writes guard: %d %s", status, body)
			}
		})
	}
}

func TestReplayGuardAllRefusesRepeatedReads(t *testing.T) {
	nd := startNode(t, withReplayGuard("all", 1000))
	rec := nd.recorder()
	key := createKey(t, nd.client(), "read-guarded", nil)
	describe(t, nd.sdkClientVia(rec.url, sigv.AlgHMACSHA256), key)
	status, h, body := nd.replay(rec.lastRequest())
	wantRaw(t, status, h, body, 401, "APIGW.0301")
}

// TestFullReplayGuardFailsClosed: a guard that cannot remember more
// refuses new writes with 503 instead of forgetting old ones.
func TestFullReplayGuardFailsClosed(t *testing.T) {
	nd := startNode(t, withReplayGuard("writes", 2))
	for i := range 2 {
		createKey(t, nd.client(), "fill-"+string(rune('a'+i)), nil)
	}
	_, err := nd.client().CreateKey(&model.CreateKeyRequest{Body: &model.CreateKeyRequestBody{KeyAlias: "one-too-many"}})
	wantErr(t, err, 503, "KMS.0104")
}

// malleate re-encodes c's ECDSA P-256 signature (r, s) as (r, n-s): another
// valid signature of the same request.
func malleate(t *testing.T, c captured) captured {
	t.Helper()
	a, err := sigv.Parse(c.header.Get(sigv.HeaderAuthorization))
	if err != nil {
		t.Fatal(err)
	}
	der, _ := hex.DecodeString(a.Signature)
	var sig struct{ R, S *big.Int }
	if _, err := asn1.Unmarshal(der, &sig); err != nil {
		t.Fatal(err)
	}
	sig.S.Sub(elliptic.P256().Params().N, sig.S)
	der, err = asn1.Marshal(sig)
	if err != nil {
		t.Fatal(err)
	}
	out := c
	out.header = c.header.Clone()
	out.header.Set(sigv.HeaderAuthorization, strings.Replace(c.header.Get(sigv.HeaderAuthorization),
		a.Signature, hex.EncodeToString(der), 1))
	return out
}
