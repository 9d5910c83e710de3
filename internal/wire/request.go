package wire

import "net/http"

// Request is implemented by every request type: Validate checks every
// field rule and returns a *kmserr.Error.
type Request interface {
	Validate() error
}

// URLRequest is implemented by requests with parameters in the URL path or
// query. FromURL reads them and checks them, before any body is decoded, so
// a bad path answers before a bad body. Each field FromURL reads is tagged
// with where it comes from, path:"key_id" or query:"limit", so that clients
// can build the URL from the type (internal/api checks the tags against
// FromURL).
type URLRequest interface {
	FromURL(r *http.Request) error
}

// Keyed is implemented by requests that name the key they act on and by
// responses that name the key an operation resolved. AuditKey returns it,
// "" when there is none.
type Keyed interface {
	AuditKey() string
}

// Empty is the body {} of operations that answer nothing (nothing at all
// with status 204). KeyID is not on the wire: it names the key acted on,
// for the audit record, where the request does not.
type Empty struct {
	KeyID string `json:"-"`
}

// AuditKey implements Keyed.
func (e Empty) AuditKey() string { return e.KeyID }
