package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"time"
)

// maxErrorBody bounds how much of an error response is read for its code.
const maxErrorBody = 4 << 10

// client sends signed requests over its own transport.
type client struct {
	hc    *http.Client
	cred  Credential
	dials *atomic.Int64 // connections opened, shared by all clients of a run
}

// newClient returns a client whose transport keeps at most conns
// connections per host alive and counts every connection it opens.
func newClient(cred Credential, conns int, timeout time.Duration, dials *atomic.Int64) *client {
	d := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			dials.Add(1)
			return d.DialContext(ctx, network, addr)
		},
		MaxConnsPerHost:     conns,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
	}
	return &client{hc: &http.Client{Transport: tr, Timeout: timeout}, cred: cred, dials: dials}
}

// close drops the client's idle connections.
func (c *client) close() { c.hc.CloseIdleConnections() }

// outcome is the result of one request.
type outcome struct {
	status int    // 0 for transport errors
	code   string // KMS error code of an error response, if any
	msg    string // error message (transport error or error_msg)
	body   []byte // response body, only when keepBody was set and status is 2xx
}

func (o outcome) ok() bool { return o.status >= 200 && o.status < 300 }

// post sends one signed request and drains the response so the connection
// is reused. keepBody keeps a 2xx body (setup calls); error bodies are read
// up to maxErrorBody for their code.
func (c *client) post(ctx context.Context, baseURL, action string, body []byte, keepBody bool) outcome {
	req, err := newRequest(ctx, baseURL, c.cred, action, body, time.Now())
	if err != nil {
		return outcome{msg: err.Error()}
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return outcome{msg: err.Error()}
	}
	defer resp.Body.Close()
	o := outcome{status: resp.StatusCode}
	switch {
	case o.ok() && keepBody:
		o.body, err = io.ReadAll(resp.Body)
	case o.ok():
		_, err = io.Copy(io.Discard, resp.Body)
	default:
		o.code, o.msg = errorCode(io.LimitReader(resp.Body, maxErrorBody))
		_, err = io.Copy(io.Discard, resp.Body)
	}
	if err != nil {
		return outcome{msg: "read response: " + err.Error()}
	}
	return o
}

// errorCode extracts error_code and error_msg from a Huawei error body.
func errorCode(r io.Reader) (code, msg string) {
	var e struct {
		Error struct {
			Code string `json:"error_code"`
			Msg  string `json:"error_msg"`
		} `json:"error"`
	}
	if err := json.NewDecoder(r).Decode(&e); err != nil {
		return "", "unparsable error body"
	}
	return e.Error.Code, e.Error.Msg
}

// call sends one setup request and decodes its 2xx body into out.
func (c *client) call(ctx context.Context, baseURL, action string, in, out any) error {
	body, err := encodeBody(in)
	if err != nil {
		return err
	}
	o := c.post(ctx, baseURL, action, body, true)
	if !o.ok() {
		return fmt.Errorf("%s: %s", action, o.describe())
	}
	if err := json.Unmarshal(o.body, out); err != nil {
		return fmt.Errorf("%s: decode response: %w", action, err)
	}
	return nil
}

// describe renders an error outcome as "HTTP 400 KMS.0201: msg".
func (o outcome) describe() string {
	if o.status == 0 {
		return "transport error: " + o.msg
	}
	s := fmt.Sprintf("HTTP %d", o.status)
	if o.code != "" {
		s += " " + o.code
	}
	if o.msg != "" {
		s += ": " + o.msg
	}
	return s
}
