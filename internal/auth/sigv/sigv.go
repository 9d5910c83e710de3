// Package sigv verifies (and, for tests and load tools, creates) Huawei Cloud
// AK/SK request signatures as produced by huaweicloud-sdk-go-v3 and the other
// Huawei clients.
//
// Supported algorithms (Authorization header prefixes):
//
//	SDK-HMAC-SHA256        HMAC-SHA256 keyed with the SK (the SDK default)
//	SDK-HMAC-SM3           HMAC-SM3 keyed with the SK
//	SDK-ECDSA-P256-SHA256  ECDSA P-256 with a key pair derived from AK and SK
//	SDK-SM2-SM3            SM2 with a key pair derived from AK and SK
//	V11-HMAC-SHA256        "derived" AK/SK: HMAC-SHA256 keyed with HKDF(SK, AK, scope)
//
// The canonical request is rebuilt only from the headers the client listed in
// SignedHeaders, so any client that follows the Huawei signing rules verifies,
// whatever subset of headers it chose to sign.
//
// The package is pure: it does no I/O and never looks up keys; its only state
// is a bounded, concurrency-safe cache of key pairs derived for the two
// asymmetric algorithms. Callers parse the Authorization header with Parse, look up
// the secret key for Authorization.AccessKey and call Verify.
package sigv

import (
	"errors"
	"fmt"
	"time"
)

// MaxSkew is the largest accepted difference between X-Sdk-Date and the
// server clock, in either direction.
const MaxSkew = 15 * time.Minute

// Wire names and formats.
const (
	// DateFormat is the time layout of the X-Sdk-Date header (always UTC).
	DateFormat = "20060102T150405Z"
	// HeaderDate is the request time header every algorithm requires.
	HeaderDate = "X-Sdk-Date"
	// HeaderAuthorization carries the signature.
	HeaderAuthorization = "Authorization"
	// HeaderContentSha256 overrides the body hash for SHA-256 based algorithms.
	HeaderContentSha256 = "X-Sdk-Content-Sha256"
	// HeaderContentSm3 overrides the body hash for SM3 based algorithms.
	HeaderContentSm3 = "X-Sdk-Content-Sm3"
	// UnsignedPayload is the value clients put in the content hash headers
	// when they do not hash the body.
	UnsignedPayload = "UNSIGNED-PAYLOAD"
)

// Algorithm names as they appear at the start of the Authorization header.
const (
	AlgHMACSHA256      = "SDK-HMAC-SHA256"
	AlgHMACSM3         = "SDK-HMAC-SM3"
	AlgECDSAP256SHA256 = "SDK-ECDSA-P256-SHA256"
	AlgSM2SM3          = "SDK-SM2-SM3"
	AlgV11HMACSHA256   = "V11-HMAC-SHA256"
)

// Errors returned by Verify. Every Verify error wraps exactly one of them.
var (
	// ErrMalformed: the Authorization value, X-Sdk-Date or another part of
	// the request cannot be understood.
	ErrMalformed = errors.New("sigv: malformed signed request")
	// ErrSkew: X-Sdk-Date is more than MaxSkew away from the server clock.
	ErrSkew = errors.New("sigv: request time outside the allowed clock skew")
	// ErrSignature: the signature does not match the request and key.
	ErrSignature = errors.New("sigv: signature mismatch")
)

// Authorization is the parsed Authorization header.
type Authorization struct {
	Algorithm     string   // one of the Alg* constants
	AccessKey     string   // the AK
	Scope         string   // V11 only: "<yyyymmdd>/<region>/<service>"
	SignedHeaders []string // lower-case header names, in header order
	Signature     string   // lowercase hex
}

// String formats a as an Authorization header value, in the exact shape the
// Go SDK produces.
func (a Authorization) String() string {
	sh := joinHeaders(a.SignedHeaders)
	if a.Algorithm == AlgV11HMACSHA256 {
		return fmt.Sprintf("%s Credential=%s/%s, SignedHeaders=%s, Signature=%s",
			a.Algorithm, a.AccessKey, a.Scope, sh, a.Signature)
	}
	return fmt.Sprintf("%s Access=%s, SignedHeaders=%s, Signature=%s",
		a.Algorithm, a.AccessKey, sh, a.Signature)
}

// malformed returns an error wrapping ErrMalformed.
func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
}

// mismatch returns an error wrapping ErrSignature.
func mismatch(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrSignature, fmt.Sprintf(format, args...))
}
