package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm3"

	"github.com/kmsd/kmsd/internal/auth/sigv"
)

// TestCapturedRequestWithAnotherBody replays a schedule-key-deletion of key
// A, signed by the official SDK and captured on a plain-HTTP hop, with key B
// in the body: with no content hash header, and with an unsigned one that
// names the hash of the original body. Both must answer 401 and leave B
// alone, for every algorithm the SDK signs with.
func TestCapturedRequestWithAnotherBody(t *testing.T) {
	nd := startNode(t)
	rec := nd.recorder()
	for _, alg := range sdkAlgorithms {
		t.Run(alg, func(t *testing.T) {
			a := createKey(t, nd.client(), "victim-a-"+alg, nil)
			b := createKey(t, nd.client(), "victim-b-"+alg, nil)
			must[any](t)(scheduleDeletion(nd.sdkClientVia(rec.url, alg), a, "7"))
			c := rec.lastRequest()
			if got := c.signedWith(t); got != alg {
				t.Fatalf("captured a request signed with %s, want %s", got, alg)
			}
			original := c.body
			c.body = []byte(strings.Replace(string(original), a, b, 1))
			status, h, body := nd.replay(c)
			wantRaw(t, status, h, body, 401, "APIGW.0301")

			header, sum := contentHash(alg, original)
			c.header.Set(header, sum)
			status, h, body = nd.replay(c)
			wantRaw(t, status, h, body, 401, "APIGW.0301")

			if st := describe(t, nd.client(), b).KeyState; st == nil || *st != "2" {
				t.Fatalf("key B is in state %v after the replays, want 2 (enabled)", st)
			}
		})
	}
}

// contentHash returns the content hash header of alg's family and the hash
// of body in it.
func contentHash(alg string, body []byte) (string, string) {
	if alg == sigv.AlgHMACSM3 || alg == sigv.AlgSM2SM3 {
		sum := sm3.Sum(body)
		return sigv.HeaderContentSm3, hex.EncodeToString(sum[:])
	}
	sum := sha256.Sum256(body)
	return sigv.HeaderContentSha256, hex.EncodeToString(sum[:])
}
