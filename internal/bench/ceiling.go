package bench

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/kmsd/kmsd/internal/auth/sigv"
	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/keycrypto"
)

// ceilingBodyLimit is kmsd's request body limit, applied the same way.
const ceilingBodyLimit = 64 << 10

// Ceiling is the reference handler kmsd's encrypt-data and decrypt-data are
// measured against: the least a signed call must cost. For POST
// …/kms/encrypt-data it reads the body, verifies the SDK signature against
// its one AK/SK, decodes {"key_id","plain_text"}, seals the plaintext with a
// fixed in-memory AES-256 key (keycrypto.Seal, the envelope kmsd produces)
// and answers {"key_id","cipher_text"}; decrypt-data is the reverse (see
// decrypt). Everything else answers 404. It has no
// store, no key lookup, no authorization, no audit and no validation
// beyond what the seal itself needs.
type Ceiling struct {
	ak, sk   string
	material []byte
}

// NewCeiling returns a ceiling handler accepting requests signed with ak/sk.
// Its AES-256 key is generated now and lives only in memory.
func NewCeiling(ak, sk string) (*Ceiling, error) {
	if ak == "" || sk == "" {
		return nil, errors.New("bench: the ceiling needs an AK and an SK")
	}
	m, err := keycrypto.Generate(domain.SpecAES256)
	if err != nil {
		return nil, err
	}
	return &Ceiling{ak: ak, sk: sk, material: m}, nil
}

// ServeHTTP implements http.Handler.
func (c *Ceiling) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	decrypt := strings.HasSuffix(r.URL.Path, "/kms/"+OpDecryptData)
	if r.Method != http.MethodPost || !(decrypt || strings.HasSuffix(r.URL.Path, "/kms/"+OpEncryptData)) {
		ceilingError(w, http.StatusNotFound, "KMS.0201", "the ceiling only serves POST …/kms/encrypt-data and decrypt-data")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, ceilingBodyLimit))
	if err != nil {
		ceilingError(w, http.StatusBadRequest, "KMS.0203", "unreadable body")
		return
	}
	if !c.verify(r, body) {
		ceilingError(w, http.StatusUnauthorized, "APIGW.0301", "Verify aksk signature fail.")
		return
	}
	if decrypt {
		c.decrypt(w, body)
		return
	}
	var in struct {
		KeyID     string `json:"key_id"`
		PlainText string `json:"plain_text"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		ceilingError(w, http.StatusBadRequest, "KMS.0214", "invalid JSON")
		return
	}
	ct, err := keycrypto.Seal(keycrypto.KindData, domain.SpecAES256, in.KeyID, 1, c.material, []byte(in.PlainText), nil)
	if err != nil {
		ceilingError(w, http.StatusBadRequest, "KMS.0205", "cannot seal: "+err.Error())
		return
	}
	writeCeilingJSON(w, http.StatusOK, map[string]string{"key_id": in.KeyID, "cipher_text": base64.StdEncoding.EncodeToString(ct)})
}

// decrypt is the decrypt-data ceiling: decode {"cipher_text"}, open the
// envelope with the fixed key, and answer what kmsd's decrypt-data answers
// ({"key_id","plain_text","plain_text_base64"}), so the comparison covers the
// larger response too.
func (c *Ceiling) decrypt(w http.ResponseWriter, body []byte) {
	var in struct {
		CipherText string `json:"cipher_text"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		ceilingError(w, http.StatusBadRequest, "KMS.0214", "invalid JSON")
		return
	}
	ct, err := base64.StdEncoding.DecodeString(in.CipherText)
	if err != nil {
		ceilingError(w, http.StatusBadRequest, "KMS.2201", "invalid cipher_text")
		return
	}
	h, err := keycrypto.ParseHeader(ct)
	var pt []byte
	if err == nil {
		pt, err = keycrypto.Open(domain.SpecAES256, c.material, ct, nil)
	}
	if err != nil {
		ceilingError(w, http.StatusBadRequest, "KMS.2201", "invalid cipher_text")
		return
	}
	writeCeilingJSON(w, http.StatusOK, map[string]string{"key_id": h.KeyID, "plain_text": string(pt),
		"plain_text_base64": base64.StdEncoding.EncodeToString(pt)})
}

// verify checks the request's SDK signature against the ceiling's AK/SK.
func (c *Ceiling) verify(r *http.Request, body []byte) bool {
	a, err := sigv.Parse(r.Header.Get(sigv.HeaderAuthorization))
	if err != nil || a.AccessKey != c.ak {
		return false
	}
	return sigv.Verify(r, body, a, c.sk, time.Now()) == nil
}

func ceilingError(w http.ResponseWriter, status int, code, msg string) {
	writeCeilingJSON(w, status, map[string]map[string]string{"error": {"error_code": code, "error_msg": msg}})
}

func writeCeilingJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v) // string maps: cannot fail
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	w.Write(b)
}
