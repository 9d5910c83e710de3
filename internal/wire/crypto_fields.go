package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"sort"

	"github.com/kmsd/kmsd/internal/keycrypto"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/service"
)

// Field rules shared by the symmetric data-plane requests (docs/crypto-behaviour.md).

// maxContextBytes bounds the legacy encryption_context after canonicalisation.
const maxContextBytes = 8192

// maxDataCiphertextChars is the longest base64 data ciphertext (a 4096-byte
// plaintext envelope; crypto-api.md §2.2 regex).
const maxDataCiphertextChars = 5648

// maxDatakeyCiphertextChars is the longest hex DEK envelope (1024-byte DEK
// plus the 140-byte envelope overhead of docs/ciphertext.md).
const maxDatakeyCiphertextChars = 2 * (service.MaxDatakeyBytes + 140)

// AADFields are the authenticated-data fields: additional_authenticated_data
// and its legacy alias encryption_context. validateAAD merges them.
type AADFields struct {
	AAD               *string         `json:"additional_authenticated_data"`
	EncryptionContext json.RawMessage `json:"encryption_context"`
	aad               []byte
}

// validateAAD checks additional_authenticated_data (at most 128 bytes,
// KMS.0308) and encryption_context (KMS.0208), and merges them: giving both
// non-empty is KMS.0208.
func (f *AADFields) validateAAD() error {
	var aad []byte
	if f.AAD != nil {
		if len(*f.AAD) > service.MaxAAD {
			return kmserr.InvalidParameter.Msgf("additional_authenticated_data must be at most %d bytes, got %d.", service.MaxAAD, len(*f.AAD))
		}
		aad = []byte(*f.AAD)
	}
	ctx, err := canonicalContext(f.EncryptionContext)
	if err != nil {
		return err
	}
	if len(ctx) > 0 && len(aad) > 0 {
		return kmserr.InvalidContext.Msgf("Give additional_authenticated_data or encryption_context, not both.")
	}
	if len(ctx) > 0 {
		aad = ctx
	}
	f.aad = aad
	return nil
}

// aadBytes validates and returns the merged AAD.
func (f *AADFields) aadBytes() ([]byte, error) {
	err := f.validateAAD()
	return f.aad, err
}

// MergedAAD returns the authenticated data: additional_authenticated_data,
// or the canonical encryption_context.
func (f *AADFields) MergedAAD() []byte { return f.aad }

// canonicalContext turns the legacy encryption_context into AAD bytes:
// absent or null gives none; a JSON string gives its UTF-8 bytes; a JSON
// object of string values gives its canonical form, compact JSON with keys
// sorted by byte order and no HTML escaping, so {"b":"2","a":"1"} and the
// string `{"a":"1","b":"2"}` are the same AAD. Anything else, duplicate keys
// or more than 8192 bytes is KMS.0208.
func canonicalContext(raw json.RawMessage) ([]byte, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var out []byte
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, kmserr.InvalidContext.Wrap(err)
		}
		out = []byte(s)
	case '{':
		m, err := contextObject(raw)
		if err != nil {
			return nil, err
		}
		out = marshalContext(m)
	default:
		return nil, kmserr.InvalidContext.Msgf("encryption_context must be a JSON object of strings or a string.")
	}
	if len(out) > maxContextBytes {
		return nil, kmserr.InvalidContext.Msgf("encryption_context must be at most %d bytes.", maxContextBytes)
	}
	return out, nil
}

// contextObject parses a JSON object whose values are all strings and whose
// keys are unique.
func contextObject(raw []byte) (map[string]string, error) {
	bad := kmserr.InvalidContext.Msgf("encryption_context must be a JSON object with unique keys and string values.")
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return nil, bad
	}
	m := map[string]string{}
	for dec.More() {
		k, err := dec.Token()
		key, ok := k.(string)
		if err != nil || !ok {
			return nil, bad
		}
		v, err := dec.Token()
		val, ok := v.(string)
		if _, dup := m[key]; err != nil || !ok || dup {
			return nil, bad
		}
		m[key] = val
	}
	if _, err := dec.Token(); err != nil {
		return nil, bad
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, bad
	}
	return m, nil
}

// marshalContext writes m as compact JSON with sorted keys, without HTML escaping.
func marshalContext(m map[string]string) []byte {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		enc.Encode(k)
		b.Truncate(b.Len() - 1) // Encode appends a newline
		b.WriteByte(':')
		enc.Encode(m[k])
		b.Truncate(b.Len() - 1)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// checkAlgorithm validates an encryption_algorithm name (KMS.0308); the key
// decides later whether it may use it.
func checkAlgorithm(field, alg string) error {
	switch alg {
	case "", keycrypto.AlgSymmetricDefault, keycrypto.AlgRSAESOAEPSHA256, keycrypto.AlgRSAESOAEPSHA1, keycrypto.AlgSM2Encrypt:
		return nil
	}
	return kmserr.InvalidParameter.Msgf("%s must be SYMMETRIC_DEFAULT, RSAES_OAEP_SHA_256, RSAES_OAEP_SHA_1 or SM2_ENCRYPT, not %q.", field, alg)
}
