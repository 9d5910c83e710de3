package sigv

import (
	"net/http"
	"strings"
	"time"
)

// Limits that keep parsing and verification cheap on hostile input.
const (
	maxHeaderLen     = 8192 // Authorization value
	maxSignedHeaders = 64
	maxSignatureHex  = 512 // DER ECDSA/SM2 signatures are ~144 hex chars
	maxFieldLen      = 256 // AK, region, service
)

// Parse parses an Authorization header value such as
//
//	SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex
//	V11-HMAC-SHA256 Credential=AK/20240102/region/service, SignedHeaders=a;b, Signature=hex
//
// Field names and the algorithm are case-sensitive; whitespace around fields
// is ignored. The signature is returned in lowercase. Every error wraps
// ErrMalformed.
func Parse(header string) (Authorization, error) {
	if len(header) > maxHeaderLen {
		return Authorization{}, malformed("authorization header too long")
	}
	name, rest, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok {
		return Authorization{}, malformed("authorization header has no credentials")
	}
	fields, err := parseFields(rest)
	if err != nil {
		return Authorization{}, err
	}
	a, err := fromFields(name, fields)
	if err != nil {
		return Authorization{}, err
	}
	a.Signature = strings.ToLower(a.Signature)
	if _, err := validate(a); err != nil {
		return Authorization{}, err
	}
	return a, nil
}

// IsSigned reports whether r carries an Authorization header that starts with
// one of the supported algorithm names followed by a space. It does not check
// the rest of the header.
func IsSigned(r *http.Request) bool {
	if r == nil {
		return false
	}
	// Algorithm names hold no space: the header starts with "name " exactly
	// when its text before the first space is a name.
	name, _, ok := strings.Cut(strings.TrimSpace(r.Header.Get(HeaderAuthorization)), " ")
	_, known := algorithms[name]
	return ok && known
}

// authFields are the fields of an Authorization value; an absent field is "".
type authFields struct {
	access, credential, signedHeaders, signature string
}

// field returns the slot of the field called k, or nil for an unknown name.
func (f *authFields) field(k string) *string {
	switch k {
	case "Access":
		return &f.access
	case "Credential":
		return &f.credential
	case "SignedHeaders":
		return &f.signedHeaders
	case "Signature":
		return &f.signature
	}
	return nil
}

// parseFields splits "k=v, k=v, ...", rejecting unknown, duplicate and
// empty fields.
func parseFields(s string) (authFields, error) {
	var fields authFields
	for part := range strings.SplitSeq(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		slot := fields.field(k)
		switch {
		case !ok || v == "":
			return authFields{}, malformed("authorization field %q has no value", k)
		case slot == nil:
			return authFields{}, malformed("unknown authorization field %q", k)
		case *slot != "":
			return authFields{}, malformed("duplicate authorization field %q", k)
		}
		*slot = v
	}
	return fields, nil
}

// fromFields assembles an Authorization from the parsed fields, checking
// that the credential field matches the algorithm.
func fromFields(name string, f authFields) (Authorization, error) {
	a := Authorization{
		Algorithm:     name,
		SignedHeaders: strings.Split(f.signedHeaders, ";"),
		Signature:     f.signature,
	}
	if f.signedHeaders == "" || f.signature == "" {
		return a, malformed("authorization lacks SignedHeaders or Signature")
	}
	if name != AlgV11HMACSHA256 {
		if f.access == "" || f.credential != "" {
			return a, malformed("%s needs Access and no Credential", name)
		}
		a.AccessKey = f.access
		return a, nil
	}
	if f.credential == "" || f.access != "" {
		return a, malformed("%s needs Credential and no Access", name)
	}
	a.AccessKey, a.Scope, _ = strings.Cut(f.credential, "/")
	return a, nil
}

// validate checks every field of a and returns its algorithm. It is shared by
// Parse and Verify (which may receive a hand-built Authorization).
func validate(a Authorization) (*algorithm, error) {
	alg, ok := lookupAlgorithm(a.Algorithm)
	if !ok {
		return nil, malformed("unsupported algorithm %.64q", a.Algorithm)
	}
	if !isField(a.AccessKey) {
		return nil, malformed("invalid access key")
	}
	if err := validateScope(alg, a.Scope); err != nil {
		return nil, err
	}
	if err := validateSignedHeaders(a.SignedHeaders); err != nil {
		return nil, err
	}
	if err := validateSignature(a.Signature); err != nil {
		return nil, err
	}
	return alg, nil
}

// validateScope requires "<yyyymmdd>/<region>/<service>" for V11 and an
// empty scope for the other algorithms.
func validateScope(alg *algorithm, scope string) error {
	if alg.kind != kindV11 {
		if scope != "" {
			return malformed("scope is only valid for %s", AlgV11HMACSHA256)
		}
		return nil
	}
	parts := strings.Split(scope, "/")
	if len(parts) != 3 || !isField(parts[1]) || !isField(parts[2]) {
		return malformed("credential scope must be <yyyymmdd>/<region>/<service>")
	}
	if _, err := time.Parse("20060102", parts[0]); err != nil || len(parts[0]) != 8 {
		return malformed("invalid credential scope date")
	}
	return nil
}

// validateSignedHeaders requires 1..maxSignedHeaders HTTP token names.
func validateSignedHeaders(names []string) error {
	if len(names) == 0 || len(names) > maxSignedHeaders {
		return malformed("need 1 to %d signed headers, got %d", maxSignedHeaders, len(names))
	}
	for _, n := range names {
		if !isToken(n) {
			return malformed("invalid signed header name %.64q", n)
		}
	}
	return nil
}

// validateSignature requires lowercase hex of even length.
func validateSignature(sig string) error {
	if sig == "" || len(sig) > maxSignatureHex || strings.ToLower(sig) != sig {
		return malformed("signature must be 1 to %d lowercase hex digits", maxSignatureHex)
	}
	if len(sig)%2 != 0 || strings.IndexFunc(sig, func(c rune) bool { return !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') }) >= 0 {
		return malformed("signature is not hex")
	}
	return nil
}

// isField reports whether s is a non-empty, bounded run of visible ASCII
// without the separators ',', '/', ';' and '='.
func isField(s string) bool {
	if s == "" || len(s) > maxFieldLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(",/;=", c) >= 0 {
			return false
		}
	}
	return true
}

// isToken reports whether s is an RFC 9110 token (a valid header name).
func isToken(s string) bool {
	if s == "" || len(s) > maxFieldLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		if !alnum && strings.IndexByte("!#$%&'*+-.^_`|~", c) < 0 {
			return false
		}
	}
	return true
}

// joinHeaders joins signed header names the way they appear on the wire.
func joinHeaders(names []string) string {
	return strings.Join(names, ";")
}
