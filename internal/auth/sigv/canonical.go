package sigv

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
)

// CanonicalRequest returns the canonical request that a's signature covers
// for r and body (Huawei's signing scheme, identical for all algorithms
// except the payload hash function):
//
//	METHOD \n URI \n QUERY \n HEADERS \n SIGNED-HEADERS \n PAYLOAD-HASH
//
// The payload hash is the one Verify uses (see verifiedPayloadHash).
//
// It is exported as a debugging aid (servers may echo it in 401 messages
// during development). Errors wrap ErrMalformed or ErrSignature.
func CanonicalRequest(r *http.Request, body []byte, a Authorization) (string, error) {
	alg, err := validate(a)
	if err != nil {
		return "", err
	}
	if r == nil || r.URL == nil {
		return "", malformed("request has no URL")
	}
	payload, err := verifiedPayloadHash(r, body, alg, a.SignedHeaders)
	if err != nil {
		return "", err
	}
	return canonicalRequest(r, payload, a.SignedHeaders)
}

// canonicalRequest builds the canonical request from r and the payload
// hash, using only the headers named in signed.
func canonicalRequest(r *http.Request, payloadHash string, signed []string) (string, error) {
	query, err := canonicalQuery(r.URL.RawQuery)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.Grow(len(r.Method) + 3*len(r.URL.Path) + len(query) + 64*len(signed) + len(payloadHash) + 8)
	b.WriteString(r.Method)
	b.WriteByte('\n')
	writeCanonicalURI(&b, r.URL.Path)
	b.WriteByte('\n')
	b.WriteString(query)
	b.WriteByte('\n')
	writeCanonicalHeaders(&b, r, signed)
	b.WriteByte('\n')
	for i, name := range signed {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(name)
	}
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	return b.String(), nil
}

// canonicalURI escapes every segment of the decoded path and makes sure the
// result ends in "/" (an empty path becomes "/").
func canonicalURI(path string) string {
	var b strings.Builder
	writeCanonicalURI(&b, path)
	return b.String()
}

// writeCanonicalURI writes canonicalURI(path) to b.
func writeCanonicalURI(b *strings.Builder, path string) {
	escapeTo(b, path, '/')
	if !strings.HasSuffix(path, "/") {
		b.WriteByte('/')
	}
}

// canonicalQuery parses the raw query itself (split on "&", split once on
// "=", unescape both halves; a bare "k" means "k="), sorts by key and then by
// value, and re-escapes. Empty pieces ("a=1&&b=2") are skipped.
func canonicalQuery(raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	params := make(map[string][]string)
	for piece := range strings.SplitSeq(raw, "&") {
		if piece == "" {
			continue
		}
		k, v, _ := strings.Cut(piece, "=")
		key, err1 := url.QueryUnescape(k)
		val, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			return "", malformed("invalid escape in query parameter %.64q", piece)
		}
		params[key] = append(params[key], val)
	}
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	pairs := make([]string, 0, len(params))
	for _, k := range keys {
		vals := params[k]
		sort.Strings(vals)
		for _, v := range vals {
			pairs = append(pairs, escape(k)+"="+escape(v))
		}
	}
	return strings.Join(pairs, "&"), nil
}

// canonicalHeaders emits "name:value\n" for every value of every signed
// header. Like the SDK it sorts the raw values, then trims each one; it
// returns "\n" when there is nothing to emit.
func canonicalHeaders(r *http.Request, signed []string) string {
	var b strings.Builder
	writeCanonicalHeaders(&b, r, signed)
	return b.String()
}

// writeCanonicalHeaders writes canonicalHeaders(r, signed) to b.
func writeCanonicalHeaders(b *strings.Builder, r *http.Request, signed []string) {
	start := b.Len()
	for _, name := range signed {
		vals := signedValues(r, name)
		if len(vals) > 1 {
			vals = slices.Clone(vals)
			sort.Strings(vals)
		}
		for _, v := range vals {
			b.WriteString(name)
			b.WriteByte(':')
			b.WriteString(strings.TrimSpace(v))
			b.WriteByte('\n')
		}
	}
	if b.Len() == start {
		b.WriteByte('\n')
	}
}

// signedValues returns the values of the signed header name. "host" comes
// from r.Host (a Go server removes it from r.Header), else r.URL.Host.
func signedValues(r *http.Request, name string) []string {
	if !equalFold(name, "host") {
		return headerValues(r.Header, name)
	}
	host := r.Host
	if host == "" {
		host = r.URL.Host
	}
	if host == "" {
		return nil
	}
	return []string{host}
}

// headerValues returns all values of header name in h. It uses the canonical
// key first and falls back to a case-insensitive scan (in key order) so that
// requests built with non-canonical map keys are handled as well.
// The returned slice may alias h and must not be modified.
func headerValues(h http.Header, name string) []string {
	if vals, ok := h[canonicalKey(name)]; ok {
		return vals
	}
	var keys []string
	for k := range h {
		if equalFold(k, name) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var vals []string
	for _, k := range keys {
		vals = append(vals, h[k]...)
	}
	return vals
}

// canonicalNames are the canonical forms of the header names clients
// sign, looked up so that verifying a request does not allocate them.
var canonicalNames = func() map[string]string {
	m := map[string]string{}
	for _, n := range []string{HeaderDate, HeaderContentSha256, HeaderContentSm3, HeaderAuthorization,
		"Content-Type", "X-Project-Id", "X-Domain-Id", "X-Security-Token", "Content-Length"} {
		c := http.CanonicalHeaderKey(n)
		m[c], m[strings.ToLower(c)] = c, c
	}
	return m
}()

// canonicalKey is http.CanonicalHeaderKey(name).
func canonicalKey(name string) string {
	if c, ok := canonicalNames[name]; ok {
		return c
	}
	return http.CanonicalHeaderKey(name)
}

// clientPayloadHash is the payload hash a signing client uses (the SDK's
// getContentHash): the literal value of the algorithm's content hash
// header if present, else the lowercase hex hash of body.
func clientPayloadHash(r *http.Request, body []byte, alg *algorithm) string {
	if vals := headerValues(r.Header, alg.contentHeader); len(vals) > 0 {
		return vals[0]
	}
	return alg.hexDigest(body)
}

// verifiedPayloadHash is the payload hash a verifier may trust, so that the
// signature always covers the body that was received:
//
//   - a content hash header (X-Sdk-Content-Sha256 / X-Sdk-Content-Sm3) that
//     is not listed in signed is ignored: anyone on the path could have
//     added or changed it, and the body is hashed;
//   - a signed content hash header must equal the hex hash of body (any
//     case; its literal value enters the canonical request), else the body
//     is not the one that was signed (ErrSignature);
//   - a signed UNSIGNED-PAYLOAD marker is refused (ErrMalformed) unless the
//     body is empty: every kmsd API is JSON, whose bodies the SDKs always
//     hash, and an unsigned body would let a captured request be re-sent
//     with any body.
func verifiedPayloadHash(r *http.Request, body []byte, alg *algorithm, signed []string) (string, error) {
	sum := alg.hexDigest(body)
	if !slices.ContainsFunc(signed, func(n string) bool { return equalFold(n, alg.contentHeader) }) {
		return sum, nil
	}
	vals := headerValues(r.Header, alg.contentHeader)
	switch {
	case len(vals) != 1:
		return "", malformed("need exactly one signed %s header, got %d", alg.contentHeader, len(vals))
	case vals[0] == UnsignedPayload && len(body) == 0:
		return vals[0], nil
	case vals[0] == UnsignedPayload:
		return "", malformed("%s %s is not accepted for a request with a body", alg.contentHeader, UnsignedPayload)
	case !equalFold(strings.TrimSpace(vals[0]), sum):
		return "", mismatch("%s does not match the request body", alg.contentHeader)
	}
	return vals[0], nil
}

// escape percent-encodes everything except the RFC 3986 unreserved
// characters, with upper-case hex digits.
func escape(s string) string {
	var b strings.Builder
	escapeTo(&b, s, 0)
	return b.String()
}

// escapeTo writes escape(s) to b, except that the byte keep (if not 0) is
// written as it is: escaping a path segment by segment and joining with
// "/" is escapeTo(b, path, '/').
func escapeTo(b *strings.Builder, s string, keep byte) {
	const hexDigits = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) || c == keep && keep != 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
}

// isUnreserved reports whether c is in A-Z a-z 0-9 - _ . ~.
func isUnreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// equalFold reports whether a and b are equal under ASCII case folding.
// Header names are ASCII, so Unicode folding (which maps e.g. U+017F to
// 's') must not make two different names match.
func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

// lowerASCII lower-cases an ASCII letter and leaves other bytes alone.
func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
