package e2e

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	sdkalg "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer/algorithm"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/region"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"
	kms "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2"

	"github.com/kmsd/kmsd/internal/auth/sigv"
)

// captured is one request as it crossed the wire.
type captured struct {
	method, path string
	header       http.Header
	body         []byte
}

// recorder is a plain-HTTP hop in front of a node (a logging proxy, an APM
// agent): it forwards every request unchanged and keeps a copy of the last.
type recorder struct {
	url  string
	mu   sync.Mutex
	last captured
}

func (nd *node) recorder() *recorder {
	nd.t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		nd.t.Fatal(err)
	}
	rec := &recorder{url: "http://" + l.Addr().String()}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.last = captured{r.Method, r.URL.RequestURI(), r.Header.Clone(), body}
		rec.mu.Unlock()
		status, h, b := rec.forward(nd, rec.last)
		for k, v := range h {
			w.Header()[k] = v
		}
		w.WriteHeader(status)
		w.Write(b)
	})}
	go srv.Serve(l)
	nd.t.Cleanup(func() { srv.Close() })
	return rec
}

// lastRequest returns the last request the recorder saw.
func (rec *recorder) lastRequest() captured {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return rec.last
}

// forward sends c to nd with exactly its headers and body.
func (rec *recorder) forward(nd *node, c captured) (int, http.Header, []byte) {
	req, err := http.NewRequest(c.method, nd.url+c.path, bytes.NewReader(c.body))
	if err != nil {
		nd.t.Error(err)
		return http.StatusBadGateway, nil, nil
	}
	req.Header = c.header.Clone()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		nd.t.Error(err)
		return http.StatusBadGateway, nil, nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

// replay re-sends c to nd, as an attacker who captured it would.
func (nd *node) replay(c captured) (int, http.Header, string) {
	nd.t.Helper()
	req, err := http.NewRequest(c.method, nd.url+c.path, bytes.NewReader(c.body))
	if err != nil {
		nd.t.Fatal(err)
	}
	req.Header = c.header.Clone()
	return send(nd.t, req)
}

// sdkAlgorithms are the five ways the official SDK signs: its four signer
// algorithms and derived (V11) signing.
var sdkAlgorithms = []string{sigv.AlgHMACSHA256, sigv.AlgHMACSM3, sigv.AlgECDSAP256SHA256, sigv.AlgSM2SM3, sigv.AlgV11HMACSHA256}

// sdkClientVia returns an SDK client for the bootstrap credential that
// signs with alg and sends to endpoint.
func (nd *node) sdkClientVia(endpoint, alg string) *kms.KmsClient {
	nd.t.Helper()
	cb := basic.NewCredentialsBuilder().WithAk(testAK).WithSk(testSK).WithProjectId(testProject)
	hcfg := config.DefaultHttpConfig()
	b := kms.KmsClientBuilder().WithRegion(region.NewRegion(testRegion, endpoint))
	switch alg {
	case sigv.AlgV11HMACSHA256:
		cb = cb.WithDerivedPredicate(func(*request.DefaultHttpRequest) bool { return true })
		b = b.WithDerivedAuthServiceName("kms")
	default:
		hcfg = hcfg.WithSigningAlgorithm(map[string]sdkalg.SigningAlgorithm{
			sigv.AlgHMACSHA256: sdkalg.HmacSHA256, sigv.AlgHMACSM3: sdkalg.HmacSM3,
			sigv.AlgECDSAP256SHA256: sdkalg.EcdsaP256SHA256, sigv.AlgSM2SM3: sdkalg.SM2SM3}[alg])
	}
	cred, err := cb.SafeBuild()
	if err != nil {
		nd.t.Fatal(err)
	}
	hc, err := b.WithCredential(cred).WithHttpConfig(hcfg).SafeBuild()
	if err != nil {
		nd.t.Fatal(err)
	}
	return kms.NewKmsClient(hc)
}

// signedWith reports the algorithm named in a captured Authorization header.
func (c captured) signedWith(t testing.TB) string {
	t.Helper()
	a, err := sigv.Parse(c.header.Get(sigv.HeaderAuthorization))
	if err != nil {
		t.Fatalf("captured request: %v", err)
	}
	return a.Algorithm
}
