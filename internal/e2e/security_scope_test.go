package e2e

import (
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/auth/sigv"
)

// doDerived sends a request signed with V11-HMAC-SHA256 for region and
// service, like the SDK's derived signer.
func (nd *node) doDerived(method, path, body, region, service string) (int, string) {
	nd.t.Helper()
	req := newReq(nd.t, method, nd.url+path, body)
	if err := sigv.SignDerived(req, []byte(body), testAK, testSK, region, service, time.Now()); err != nil {
		nd.t.Fatal(err)
	}
	status, h, b := send(nd.t, req)
	if status == 401 {
		wantRaw(nd.t, status, h, b, 401, "APIGW.0301")
	}
	return status, b
}

// TestDerivedSignatureScope: a V11 signature is accepted only for the
// region and service its key was derived for.
func TestDerivedSignatureScope(t *testing.T) {
	nd := startNode(t)
	kmsCall := func(region, service string) (int, string) {
		return nd.doDerived("GET", kmsPath("user-instances"), "", region, service)
	}
	iamCall := func(region, service string) (int, string) {
		return nd.doDerived("GET", "/v3/projects?name="+testRegion, "", region, service)
	}
	for _, tc := range []struct {
		name            string
		call            func(region, service string) (int, string)
		region, service string
		want            int
	}{
		{"kms, own region", kmsCall, testRegion, "kms", 200},
		{"kms, another region", kmsCall, "cn-north-4", "kms", 401},
		{"kms, another service", kmsCall, testRegion, "obs", 401},
		{"kms route signed for iam", kmsCall, testRegion, "iam", 401},
		{"iam, a region of the account", iamCall, testRegion, "iam", 200},
		{"iam, a region the account lacks", iamCall, "cn-north-4", "iam", 401},
		{"iam route signed for kms", iamCall, testRegion, "kms", 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if status, body := tc.call(tc.region, tc.service); status != tc.want {
				t.Fatalf("status %d, want %d: %s", status, tc.want, body)
			}
		})
	}
}
