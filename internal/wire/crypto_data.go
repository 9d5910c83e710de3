package wire

import (
	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/service"
)

// encrypt-data and decrypt-data (crypto-api.md §2.1-§2.2). The data-plane
// requests do not report their key: the response names the key the
// reference resolved to.

// EncryptDataReq is EncryptDataRequestBody.
type EncryptDataReq struct {
	KeyID               string  `json:"key_id"`
	PlainText           *string `json:"plain_text"`
	EncryptionAlgorithm string  `json:"encryption_algorithm"`
	Sequence            string  `json:"sequence"`
	AADFields
}

// Validate: key_id present (KMS.0204; id, alias or alias URN); plain_text
// 1-4096 bytes (KMS.0204 / KMS.2108); a known algorithm (KMS.0308); AAD
// rules of validateAAD; sequence (KMS.0206).
func (r *EncryptDataReq) Validate() error {
	if err := checkKeyRef(r.KeyID, r.Sequence); err != nil {
		return err
	}
	if r.PlainText == nil || *r.PlainText == "" {
		return kmserr.MissingParameter.Msgf("plain_text is required.")
	}
	if n := len(*r.PlainText); n > service.MaxDataPlaintext {
		return kmserr.PlaintextTooLong.Msgf("plain_text must be 1-%d bytes, got %d.", service.MaxDataPlaintext, n)
	}
	if err := checkAlgorithm("encryption_algorithm", r.EncryptionAlgorithm); err != nil {
		return err
	}
	return r.validateAAD()
}

// EncryptDataResp is EncryptDataResponse.
type EncryptDataResp struct {
	KeyID      string `json:"key_id"`
	CipherText string `json:"cipher_text"`
}

// AuditKey implements Keyed.
func (r EncryptDataResp) AuditKey() string { return r.KeyID }

// DecryptDataReq is DecryptDataRequestBody.
type DecryptDataReq struct {
	CipherText          string `json:"cipher_text"`
	EncryptionAlgorithm string `json:"encryption_algorithm"`
	KeyID               string `json:"key_id"`
	Sequence            string `json:"sequence"`
	AADFields
	blob []byte
}

// Validate: cipher_text present (KMS.0204), standard base64 of at most 5648
// characters (KMS.2201); key_id optional; algorithm, AAD and sequence as
// for encrypt-data.
func (r *DecryptDataReq) Validate() error {
	if err := domain.CheckSequence(r.Sequence); err != nil {
		return err
	}
	blob, err := dataCiphertext("cipher_text", r.CipherText)
	if err != nil {
		return err
	}
	r.blob = blob
	if err := checkAlgorithm("encryption_algorithm", r.EncryptionAlgorithm); err != nil {
		return err
	}
	return r.validateAAD()
}

// Blob returns the decoded cipher_text.
func (r *DecryptDataReq) Blob() []byte { return r.blob }

// DecryptDataResp is DecryptDataResponse.
type DecryptDataResp struct {
	KeyID           string `json:"key_id"`
	PlainText       string `json:"plain_text"`
	PlainTextBase64 string `json:"plain_text_base64"`
}

// AuditKey implements Keyed.
func (r DecryptDataResp) AuditKey() string { return r.KeyID }

// checkKeyRef checks a required key reference and the sequence.
func checkKeyRef(ref, seq string) error {
	return (&KeyRefReq{KeyID: ref, Sequence: seq}).Validate()
}

// dataCiphertext decodes a required base64 data ciphertext field.
func dataCiphertext(field, s string) ([]byte, error) {
	if s == "" {
		return nil, kmserr.MissingParameter.Msgf("%s is required.", field)
	}
	if len(s) > maxDataCiphertextChars {
		return nil, kmserr.InvalidCiphertext.Msgf("%s must be at most %d base64 characters.", field, maxDataCiphertextChars)
	}
	blob, ok := decodeBase64(s)
	if !ok {
		return nil, kmserr.InvalidCiphertext.Msgf("%s must be standard base64 with padding.", field)
	}
	return blob, nil
}
