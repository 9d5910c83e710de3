package kmscli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/kmsd/kmsd/internal/auth/sigv"
	"github.com/kmsd/kmsd/internal/op"
	"github.com/kmsd/kmsd/internal/server"
)

// Env is the process environment, replaceable in tests.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Lookup         func(string) (string, bool)
	// Environ lists the environment as KEY=value, to find the
	// HUAWEICLOUD_SDK_REGION_KMS_* variables.
	Environ func() []string
	// Terminal: standard output is a terminal (JSON is indented).
	Terminal bool
}

func (e Env) get(k string) string {
	v, _ := e.Lookup(k)
	return v
}

// Environment variables the client reads: the SDK's, which kmsd serve
// prints, and kmsd's token variable.
const (
	EnvAK         = "HUAWEICLOUD_SDK_AK"
	EnvSK         = "HUAWEICLOUD_SDK_SK"
	EnvProjectID  = "HUAWEICLOUD_SDK_PROJECT_ID"
	EnvRegionPfx  = "HUAWEICLOUD_SDK_REGION_KMS_"
	EnvToken      = "KMSD_TOKEN"
	userAgent     = "kmsd-cli"
	jsonMediaType = "application/json;charset=UTF-8"
)

// Client sends the operations of the table to one endpoint.
type Client struct {
	Endpoint  string // base URL: http://127.0.0.1:8080
	ProjectID string
	AK, SK    string
	Token     string // X-Auth-Token; wins over AK/SK
	HTTP      *http.Client
}

// connection are the flags every command takes to reach a server.
type connection struct {
	endpoint, region, projectID, token string
}

// client resolves the connection flags and the environment into a Client:
// the endpoint from --endpoint, else HUAWEICLOUD_SDK_REGION_KMS_<REGION>
// for --region (or the only such variable set); the project from
// --project-id or HUAWEICLOUD_SDK_PROJECT_ID; a token from --token or
// KMSD_TOKEN, else the AK/SK pair.
func (c connection) client(env Env) (*Client, error) {
	cl := &Client{Endpoint: c.endpoint, ProjectID: c.projectID, Token: c.token,
		AK: env.get(EnvAK), SK: env.get(EnvSK), HTTP: &http.Client{Timeout: 60 * time.Second}}
	if cl.ProjectID == "" {
		cl.ProjectID = env.get(EnvProjectID)
	}
	if cl.Token == "" {
		cl.Token = env.get(EnvToken)
	}
	if cl.Endpoint == "" {
		ep, err := regionEndpoint(env, c.region)
		if err != nil {
			return nil, err
		}
		cl.Endpoint = ep
	}
	cl.Endpoint = strings.TrimSuffix(cl.Endpoint, "/")
	if u, err := url.Parse(cl.Endpoint); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("endpoint %q is not an http(s) URL", cl.Endpoint)
	}
	return cl, nil
}

func regionEndpoint(env Env, region string) (string, error) {
	if region != "" {
		if ep := env.get(EnvRegionPfx + server.RegionEnvName(region)); ep != "" {
			return ep, nil
		}
		return "", fmt.Errorf("no endpoint for region %s: set %s%s or give --endpoint", region, EnvRegionPfx, server.RegionEnvName(region))
	}
	var found []string
	for _, kv := range env.Environ() {
		if k, v, _ := strings.Cut(kv, "="); strings.HasPrefix(k, EnvRegionPfx) && v != "" {
			found = append(found, k)
		}
	}
	switch len(found) {
	case 1:
		return env.get(found[0]), nil
	case 0:
		return "", fmt.Errorf("no endpoint: give --endpoint URL, or set %s<REGION> as kmsd serve prints", EnvRegionPfx)
	}
	slices.Sort(found)
	return "", fmt.Errorf("several endpoints (%s): choose one with --region or --endpoint", strings.Join(found, ", "))
}

// Response is an operation's answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// APIError is an answer other than 2xx: the KMS error code and message.
type APIError struct {
	Status    int
	Code, Msg string
	Body      []byte
}

func (e *APIError) Error() string {
	if e.Code == "" {
		return fmt.Sprintf("HTTP %d: %s", e.Status, strings.TrimSpace(string(e.Body)))
	}
	return fmt.Sprintf("%s: %s (HTTP %d)", e.Code, e.Msg, e.Status)
}

// errorBody is Huawei's error shape, nested or flat.
type errorBody struct {
	Error *struct {
		Code string `json:"error_code"`
		Msg  string `json:"error_msg"`
	} `json:"error"`
	Code string `json:"error_code"`
	Msg  string `json:"error_msg"`
}

func apiError(status int, body []byte) *APIError {
	e := &APIError{Status: status, Body: body}
	var eb errorBody
	if json.Unmarshal(body, &eb) == nil {
		if eb.Error != nil {
			e.Code, e.Msg = eb.Error.Code, eb.Error.Msg
		} else {
			e.Code, e.Msg = eb.Code, eb.Msg
		}
	}
	return e
}

// Do sends operation o with request r. An answer other than 2xx is an
// *APIError.
func (c *Client) Do(ctx context.Context, o Operation, r Request) (*Response, error) {
	hr, err := c.newRequest(ctx, o, r)
	if err != nil {
		return nil, err
	}
	resp, err := c.HTTP.Do(hr)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, fmt.Errorf("read the response: %w", err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, apiError(resp.StatusCode, body)
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// newRequest builds and authenticates the HTTP request of o: the path with
// its parameters, the query, the JSON body as the SDK encodes it, the
// SDK's headers, and X-Auth-Token or an SDK-HMAC-SHA256 signature.
func (c *Client) newRequest(ctx context.Context, o Operation, r Request) (*http.Request, error) {
	path := strings.TrimSuffix(o.Op.Path, "{$}")
	if strings.Contains(path, "{project_id}") { // KMS routes, and IAM's grants on a project
		if c.ProjectID == "" {
			return nil, fmt.Errorf("no project: give --project-id or set %s", EnvProjectID)
		}
		path = strings.ReplaceAll(path, "{project_id}", url.PathEscape(c.ProjectID))
	}
	for k, v := range r.Path {
		path = strings.ReplaceAll(path, "{"+k+"}", url.PathEscape(v))
	}
	u := c.Endpoint + path
	if len(r.Query) > 0 {
		q := url.Values{}
		for k, v := range r.Query {
			q.Set(k, v)
		}
		u += "?" + q.Encode()
	}
	var body []byte
	if r.Body != nil {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(r.Body); err != nil {
			return nil, err
		}
		body = buf.Bytes()
	}
	hr, err := http.NewRequestWithContext(ctx, o.Op.Method, u, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if body != nil {
		hr.Header.Set("Content-Type", jsonMediaType)
	}
	hr.Header.Set("User-Agent", userAgent)
	if o.Op.Auth == op.Public {
		return hr, nil
	}
	if o.Op.Auth == op.Project {
		hr.Header.Set("X-Project-Id", c.ProjectID)
	}
	switch {
	case c.Token != "":
		hr.Header.Set("X-Auth-Token", c.Token)
	case c.AK != "" && c.SK != "":
		if err := sigv.Sign(hr, body, c.AK, c.SK, time.Now()); err != nil {
			return nil, err
		}
	default:
		return nil, errors.New("no credential: set " + EnvAK + " and " + EnvSK + " (kmsd serve prints them), or give --token")
	}
	return hr, nil
}
