package wire

import (
	"errors"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/service"
)

// create-datakey, create-datakey-without-plaintext, encrypt-datakey,
// decrypt-datakey (crypto-api.md §2.3-§2.6). DEKs and envelopes travel as
// hex: either case in, upper case out.

// datakeySpecBytes is the DEK length of each create-datakey key_spec.
var datakeySpecBytes = map[string]int{
	"AES_256": 32, "AES_128": 16, "SM4": 16,
	"HMAC_256": 32, "HMAC_384": 48, "HMAC_512": 64, "HMAC_SM3": 32,
}

// LevelFourFields are the PIN fields of level-4 deployments; kmsd has no
// PINs, so a non-empty pin is refused rather than silently ignored.
type LevelFourFields struct {
	Pin     string `json:"pin"`
	PinType string `json:"pin_type"`
}

func (f *LevelFourFields) validatePin() error {
	if f.Pin != "" {
		return kmserr.InvalidParameter.Msgf("pin is not supported: kmsd has no level-4 PIN protection.")
	}
	if f.PinType != "" && f.PinType != "CipherText" && f.PinType != "PlainText" {
		return kmserr.InvalidParameter.Msgf("pin_type must be CipherText or PlainText.")
	}
	return nil
}

// CreateDatakeyReq is CreateDatakeyRequestBody (also of
// create-datakey-without-plaintext).
type CreateDatakeyReq struct {
	KeyID         string     `json:"key_id"`
	KeySpec       string     `json:"key_spec"`
	DatakeyLength FlexString `json:"datakey_length"`
	Sequence      string     `json:"sequence"`
	AADFields
	LevelFourFields
	n int // DEK bytes
}

// Validate: key_id (KMS.0204); key_spec one of datakeySpecBytes (KMS.1902);
// datakey_length in bits, an integer 8-8192 (KMS.1901) and a multiple of 8
// (KMS.1903), which wins over key_spec; neither gives 32 bytes.
func (r *CreateDatakeyReq) Validate() error {
	if err := checkKeyRef(r.KeyID, r.Sequence); err != nil {
		return err
	}
	r.n = 32
	if r.KeySpec != "" {
		n, ok := datakeySpecBytes[r.KeySpec]
		if !ok {
			return kmserr.DatakeySpec.Msgf("key_spec must be AES_256, AES_128, SM4, HMAC_256, HMAC_384, HMAC_512 or HMAC_SM3, not %q.", r.KeySpec)
		}
		r.n = n
	}
	if r.DatakeyLength != "" {
		bits, err := intField(r.DatakeyLength, 0, 8*service.MinDatakeyBytes, 8*service.MaxDatakeyBytes, kmserr.DatakeyLength)
		if err != nil {
			return err
		}
		if bits%8 != 0 {
			return kmserr.DatakeyNotMultiple.Msgf("datakey_length must be a multiple of 8 bits, got %d.", bits)
		}
		r.n = bits / 8
	}
	if err := r.validatePin(); err != nil {
		return err
	}
	return r.validateAAD()
}

// Size returns the DEK length in bytes.
func (r *CreateDatakeyReq) Size() int { return r.n }

// CreateDatakeyNoPlainReq is create-datakey-without-plaintext's body: the
// same model as create-datakey's, but a bad datakey_length answers
// KMS.2001, as Huawei's error table lists it for this operation.
type CreateDatakeyNoPlainReq struct {
	CreateDatakeyReq
}

// Validate is CreateDatakeyReq's, with KMS.1901 and KMS.1903 as KMS.2001.
func (r *CreateDatakeyNoPlainReq) Validate() error {
	err := r.CreateDatakeyReq.Validate()
	if errors.Is(err, kmserr.DatakeyLength) || errors.Is(err, kmserr.DatakeyNotMultiple) {
		return kmserr.DatakeyLengthNoPlain.Msgf("%s", kmserr.From(err).Msg)
	}
	return err
}

// CreateDatakeyResp is CreateDatakeyResponse.
type CreateDatakeyResp struct {
	KeyID      string `json:"key_id"`
	PlainText  string `json:"plain_text"`
	CipherText string `json:"cipher_text"`
}

// AuditKey implements Keyed.
func (r CreateDatakeyResp) AuditKey() string { return r.KeyID }

// DatakeyCipherResp is CreateDatakeyWithoutPlaintextResponse.
type DatakeyCipherResp struct {
	KeyID      string `json:"key_id"`
	CipherText string `json:"cipher_text"`
}

// AuditKey implements Keyed.
func (r DatakeyCipherResp) AuditKey() string { return r.KeyID }

// EncryptDatakeyReq is EncryptDatakeyRequestBody.
type EncryptDatakeyReq struct {
	KeyID              string     `json:"key_id"`
	PlainText          string     `json:"plain_text"`
	DatakeyPlainLength FlexString `json:"datakey_plain_length"`
	KeySpec            string     `json:"key_spec"`
	Sequence           string     `json:"sequence"`
	AADFields
	LevelFourFields
	dek, digest []byte
}

// Validate: key_id (KMS.0204); datakey_plain_length bytes 1-1024 (KMS.0204
// missing, KMS.2102 invalid); plain_text hex (KMS.0204, KMS.2101) of exactly
// datakey_plain_length + 32 bytes (KMS.2104); key_spec (level-4 SM2/RSA DEK
// types) refused (KMS.0308).
func (r *EncryptDatakeyReq) Validate() error {
	if err := checkKeyRef(r.KeyID, r.Sequence); err != nil {
		return err
	}
	if r.DatakeyPlainLength == "" {
		return kmserr.MissingParameter.Msgf("datakey_plain_length is required.")
	}
	n, err := intField(r.DatakeyPlainLength, 0, service.MinDatakeyBytes, service.MaxDatakeyBytes, kmserr.DatakeyPlainLength)
	if err != nil {
		return err
	}
	if r.PlainText == "" {
		return kmserr.MissingParameter.Msgf("plain_text is required.")
	}
	b, ok := decodeHex(r.PlainText)
	if !ok {
		return kmserr.DatakeyPlainText.Msgf("plain_text must be hex: the data key followed by its 32-byte digest.")
	}
	if len(b) != n+32 {
		return kmserr.DatakeyLengthMatch.Msgf("plain_text has %d bytes; datakey_plain_length %d needs %d (key + 32-byte digest).", len(b), n, n+32)
	}
	r.dek, r.digest = b[:n], b[n:]
	if r.KeySpec != "" {
		return kmserr.InvalidParameter.Msgf("key_spec is not supported: kmsd has no level-4 SM2/RSA data keys.")
	}
	if err := r.validatePin(); err != nil {
		return err
	}
	return r.validateAAD()
}

// DEK returns the data key of plain_text; the caller clears it after use.
func (r *EncryptDatakeyReq) DEK() []byte { return r.dek }

// Digest returns the 32-byte digest that follows the data key.
func (r *EncryptDatakeyReq) Digest() []byte { return r.digest }

// EncryptDatakeyResp is EncryptDatakeyResponse.
type EncryptDatakeyResp struct {
	KeyID         string `json:"key_id"`
	CipherText    string `json:"cipher_text"`
	DatakeyLength string `json:"datakey_length"`
}

// AuditKey implements Keyed.
func (r EncryptDatakeyResp) AuditKey() string { return r.KeyID }

// DecryptDatakeyReq is DecryptDatakeyRequestBody.
type DecryptDatakeyReq struct {
	KeyID               string     `json:"key_id"`
	CipherText          string     `json:"cipher_text"`
	DatakeyCipherLength FlexString `json:"datakey_cipher_length"`
	Sequence            string     `json:"sequence"`
	AADFields
	blob []byte
}

// Validate: key_id and datakey_cipher_length are required, as Huawei's
// reference marks them (KMS.0204); cipher_text hex (KMS.0204, KMS.2201);
// datakey_cipher_length an integer 1-1024 (KMS.2202) — advisory only, the
// DEK length comes from the envelope (Huawei's Java encryption SDK sends
// "32" for 16-byte DEKs).
func (r *DecryptDatakeyReq) Validate() error {
	if err := domain.CheckSequence(r.Sequence); err != nil {
		return err
	}
	if r.KeyID == "" {
		return kmserr.MissingParameter.Msgf("key_id is required.")
	}
	blob, err := datakeyCiphertext("cipher_text", r.CipherText)
	if err != nil {
		return err
	}
	r.blob = blob
	if r.DatakeyCipherLength == "" {
		return kmserr.MissingParameter.Msgf("datakey_cipher_length is required.")
	}
	if err := checkDatakeyCipherLength(r.DatakeyCipherLength); err != nil {
		return err
	}
	return r.validateAAD()
}

// Blob returns the decoded cipher_text.
func (r *DecryptDatakeyReq) Blob() []byte { return r.blob }

// DecryptDatakeyResp is DecryptDatakeyResponse. KeyID is not on the wire
// (the SDK's response has no key_id): it names the key for the audit record.
type DecryptDatakeyResp struct {
	DataKey       string `json:"data_key"`
	DatakeyLength string `json:"datakey_length"`
	DatakeyDgst   string `json:"datakey_dgst"`
	KeyID         string `json:"-"`
}

// AuditKey implements Keyed.
func (r DecryptDatakeyResp) AuditKey() string { return r.KeyID }

// datakeyCiphertext decodes a required hex DEK envelope field.
func datakeyCiphertext(field, s string) ([]byte, error) {
	if s == "" {
		return nil, kmserr.MissingParameter.Msgf("%s is required.", field)
	}
	if len(s) > maxDatakeyCiphertextChars {
		return nil, kmserr.InvalidCiphertext.Msgf("%s must be at most %d hex characters.", field, maxDatakeyCiphertextChars)
	}
	blob, ok := decodeHex(s)
	if !ok {
		return nil, kmserr.InvalidCiphertext.Msgf("%s must be hex.", field)
	}
	return blob, nil
}

// checkDatakeyCipherLength validates the advisory datakey_cipher_length.
func checkDatakeyCipherLength(v FlexString) error {
	_, err := intField(v, 0, service.MinDatakeyBytes, service.MaxDatakeyBytes, kmserr.DatakeyCipherLength)
	return err
}
