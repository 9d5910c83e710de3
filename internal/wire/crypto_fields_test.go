package wire

import (
	"encoding/json"
	"testing"

	"github.com/kmsd/kmsd/internal/kmserr"
)

// FuzzEncryptionContext checks that canonicalisation never panics, accepts
// only strings and string-valued objects, and is idempotent: the canonical
// form of an object, parsed again as an object, gives itself.
func FuzzEncryptionContext(f *testing.F) {
	for _, s := range []string{`{"b":"2","a":"1"}`, `"x"`, `{"<":"&"}`, `{"a":"\u2028"}`, `1`, `{"a":"1","a":"2"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !json.Valid(raw) {
			return
		}
		out, err := canonicalContext(raw)
		if err != nil {
			if e, ok := err.(*kmserr.Error); !ok || e.Code != kmserr.InvalidContext.Code {
				t.Fatalf("%q: %v is not KMS.0208", raw, err)
			}
			return
		}
		if len(raw) > 0 && raw[0] == '{' {
			again, err := canonicalContext(out)
			if err != nil || string(again) != string(out) {
				t.Fatalf("%q: canonical %q re-canonicalises to %q (%v)", raw, out, again, err)
			}
		}
	})
}
