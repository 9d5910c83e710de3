package sigv

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// received is a request as seen by the test server.
type received struct {
	r    *http.Request
	body []byte
}

// wireServer starts a server that hands every request it receives to the test.
func wireServer(t *testing.T) (*httptest.Server, <-chan received) {
	ch := make(chan received, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		// Clone: the server keeps using r after the handler returns.
		ch <- received{r.Clone(context.Background()), body}
	}))
	t.Cleanup(srv.Close)
	return srv, ch
}

// sendAndVerify sends hr over the wire and verifies what the server got,
// after letting tamper change the received request.
func sendAndVerify(t *testing.T, hr *http.Request, ch <-chan received, now time.Time, tamper func(*received)) error {
	t.Helper()
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	resp.Body.Close()
	got := <-ch
	if tamper != nil {
		tamper(&got)
	}
	a, err := Parse(got.r.Header.Get(HeaderAuthorization))
	if err != nil {
		return err
	}
	return Verify(got.r, got.body, a, testSK, now)
}
