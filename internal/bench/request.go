package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/kmsd/kmsd/internal/auth/sigv"
)

// Credential is the AK/SK pair and project every request is signed for.
type Credential struct {
	AK, SK, Project string
}

// SDK wire constants: what huaweicloud-sdk-go-v3 (v0.1.207) sends with a
// KMS request signed with a basic credential.
const (
	sdkUserAgent   = "huaweicloud-usdk-go/3.0"
	sdkContentType = "application/json;charset=UTF-8"
)

// encodeBody JSON-encodes v exactly like the SDK's request builder: an
// encoding/json Encoder with HTML escaping off, so the body ends in "\n".
func encodeBody(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("bench: encode request body: %w", err)
	}
	return buf.Bytes(), nil
}

// actionPath is the path of a KMS action in a project.
func actionPath(project, action string) string {
	return "/v1.0/" + project + "/kms/" + action
}

// newRequest returns the POST of body to action under baseURL with the SDK's
// headers (Content-Type, User-Agent, X-Project-Id), signed with
// SDK-HMAC-SHA256 at now. sigv.Sign sets X-Sdk-Date itself, as the SDK does.
func newRequest(ctx context.Context, baseURL string, cred Credential, action string, body []byte, now time.Time) (*http.Request, error) {
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, baseURL+actionPath(cred.Project, action), bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("bench: build request: %w", err)
	}
	r.Header.Set("Content-Type", sdkContentType)
	r.Header.Set("User-Agent", sdkUserAgent)
	r.Header.Set("X-Project-Id", cred.Project)
	if err := sigv.Sign(r, body, cred.AK, cred.SK, now); err != nil {
		return nil, fmt.Errorf("bench: sign request: %w", err)
	}
	return r, nil
}
