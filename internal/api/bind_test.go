package api

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/kmsd/kmsd/internal/audit"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/op"
	"github.com/kmsd/kmsd/internal/wire"
)

// keyedReq names a key; it is invalid without one.
type keyedReq struct {
	KeyID string `json:"key_id"`
}

func (r *keyedReq) Validate() error {
	if r.KeyID == "" {
		return kmserr.MissingParameter
	}
	return nil
}
func (r *keyedReq) AuditKey() string { return r.KeyID }

// pathReq takes its key from the path, before a body.
type pathReq struct {
	Path string `json:"-"`
	N    int    `json:"n"`
}

func (r *pathReq) FromURL(hr *http.Request) error {
	r.Path = hr.PathValue("key_id")
	if r.Path == "bad" {
		return kmserr.InvalidKeyID
	}
	return nil
}
func (r *pathReq) Validate() error  { return nil }
func (r *pathReq) AuditKey() string { return r.Path }

func testCall(body, pathKey string) *call {
	r := httptest.NewRequest(http.MethodPost, "/", nil)
	r.SetPathValue("key_id", pathKey)
	return &call{ctx: r.Context(), r: r, body: []byte(body), event: &audit.Event{}}
}

var errService = errors.New("service failed")

// opFn returns an operation function that notes it ran and answers resp, err.
func opFn[Req any](ran *bool, resp wire.Empty, err error) func(*call, *Req) (wire.Empty, error) {
	return func(*call, *Req) (wire.Empty, error) {
		*ran = true
		return resp, err
	}
}

// The adapters decode, validate and record the key the request names
// before the operation runs (so a failed operation's record names it too);
// a response naming a key overrides it on success only; the status is the
// catalogue's.
func TestBindRecordsKeysAndStatus(t *testing.T) {
	created := op.Op{Status: http.StatusCreated}
	resolved := wire.Empty{KeyID: "resolved"}
	for name, tc := range map[string]struct {
		b          func(ran *bool) binding
		body, path string
		status     int
		err        error
		key        string
		notRun     bool
	}{
		"invalid body": {b: func(ran *bool) binding { return bind(opFn[keyedReq](ran, resolved, nil)) },
			body: `{"key_id":1}`, err: kmserr.InvalidFormat, notRun: true},
		"invalid request": {b: func(ran *bool) binding { return bind(opFn[keyedReq](ran, resolved, nil)) },
			body: `{}`, err: kmserr.MissingParameter, notRun: true},
		"failed operation": {b: func(ran *bool) binding { return bind(opFn[keyedReq](ran, resolved, errService)) },
			body: `{"key_id":"alias/a"}`, err: errService, key: "alias/a"},
		"resolved key": {b: func(ran *bool) binding { return bind(opFn[keyedReq](ran, resolved, nil)) },
			body: `{"key_id":"alias/a"}`, status: 201, key: "resolved"},
		"no resolved key": {b: func(ran *bool) binding { return bind(opFn[keyedReq](ran, wire.Empty{}, nil)) },
			body: `{"key_id":"alias/a"}`, status: 201, key: "alias/a"},
		"bad path before bad body": {b: func(ran *bool) binding { return bind(opFn[pathReq](ran, wire.Empty{}, nil)) },
			body: `{`, path: "bad", err: kmserr.InvalidKeyID, key: "bad", notRun: true},
		"path, then body": {b: func(ran *bool) binding { return bind(opFn[pathReq](ran, wire.Empty{}, nil)) },
			body: `{"n":"x"}`, path: "k", err: kmserr.InvalidFormat, key: "k", notRun: true},
		"URL only, body unread": {b: func(ran *bool) binding { return bindURL(opFn[pathReq](ran, wire.Empty{}, nil)) },
			body: `{`, path: "k", status: 201, key: "k"},
		"no parameters": {b: func(ran *bool) binding {
			return serve(func(*call) (wire.Empty, error) { *ran = true; return resolved, nil })
		}, status: 201, key: "resolved"},
	} {
		t.Run(name, func(t *testing.T) {
			var ran bool
			c := testCall(tc.body, tc.path)
			status, _, err := tc.b(&ran).make(created)(c)
			if !errors.Is(err, tc.err) || status != tc.status || c.event.KeyID != tc.key || ran == tc.notRun {
				t.Fatalf("status %d, error %v, key %q, ran %v; want %d, %v, %q, %v",
					status, err, c.event.KeyID, ran, tc.status, tc.err, tc.key, !tc.notRun)
			}
		})
	}
}
