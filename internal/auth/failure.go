package auth

import (
	"errors"
	"net/http"
	"strings"
)

// Failure is why a request did not authenticate, as the audit trail and
// the metrics name it. A 401 answer does not tell it (an unknown access key
// and a wrong signature answer alike); the trail does.
type Failure string

// The reasons a request fails to authenticate.
const (
	FailMissing          Failure = "missing_credentials"
	FailMalformed        Failure = "malformed_authorization"
	FailUnknownAccessKey Failure = "unknown_access_key"
	FailBadSignature     Failure = "bad_signature"
	FailClockSkew        Failure = "clock_skew"
	FailTokenExpired     Failure = "token_expired"
	FailTokenInvalid     Failure = "token_invalid"
	FailUnknownUser      Failure = "unknown_user"
	FailOther            Failure = "other" // the credential store could not be read
)

// Failures lists every Failure, for metrics.
var Failures = []Failure{FailMissing, FailMalformed, FailUnknownAccessKey, FailBadSignature, FailClockSkew,
	FailTokenExpired, FailTokenInvalid, FailUnknownUser, FailOther}

func (f Failure) Error() string { return "authentication failed: " + string(f) }

// because joins the reason f to the cause of an authentication error.
func because(f Failure, cause error) error { return errors.Join(f, cause) }

// FailureOf returns the reason of an error Authenticate returned.
func FailureOf(err error) Failure {
	var f Failure
	if errors.As(err, &f) {
		return f
	}
	return FailOther
}

// maxPresentedKey bounds what PresentedAccessKey returns: access keys are
// 20 characters, and the audit trail must not grow by what a client sends.
const maxPresentedKey = 64

// PresentedAccessKey returns the access key id an AK/SK request names in
// its Authorization header (at most its first 64 bytes), whether or not it
// authenticates, or "". It does not allocate.
func PresentedAccessKey(r *http.Request) string {
	h := r.Header.Get("Authorization")
	for _, field := range [...]string{"Access=", "Credential="} {
		if i := strings.Index(h, field); i >= 0 {
			v := h[i+len(field):]
			if j := strings.IndexAny(v, "/, "); j >= 0 {
				v = v[:j]
			}
			return v[:min(len(v), maxPresentedKey)]
		}
	}
	return ""
}
