package wire

import (
	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/keycrypto"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/service"
)

// re-encrypt (crypto-api.md §2.8) and gen-random (§2.7).

// ReEncryptReq is ReEncryptRequestBody.
type ReEncryptReq struct {
	CipherText                             string     `json:"cipher_text"`
	SourceKeyID                            string     `json:"source_key_id"`
	SourceAdditionalAuthenticatedData      *string    `json:"source_additional_authenticated_data"`
	SourceEncryptionAlgorithm              string     `json:"source_encryption_algorithm"`
	DestinationKeyID                       string     `json:"destination_key_id"`
	DestinationAdditionalAuthenticatedData *string    `json:"destination_additional_authenticated_data"`
	DestinationEncryptionAlgorithm         string     `json:"destination_encryption_algorithm"`
	DatakeyCipherLength                    FlexString `json:"datakey_cipher_length"`
	in                                     service.ReEncryptInput
}

// Validate: cipher_text (KMS.0204) is a hex DEK envelope or a base64 data
// ciphertext (KMS.2201); destination_key_id required (KMS.0204); both
// algorithms known (KMS.0308); both AADs at most 128 bytes (KMS.0308);
// datakey_cipher_length advisory, 1-1024 when given (KMS.2202).
func (r *ReEncryptReq) Validate() error {
	if r.DestinationKeyID == "" {
		return kmserr.MissingParameter.Msgf("destination_key_id is required.")
	}
	for field, alg := range map[string]string{
		"source_encryption_algorithm": r.SourceEncryptionAlgorithm, "destination_encryption_algorithm": r.DestinationEncryptionAlgorithm,
	} {
		if err := checkAlgorithm(field, alg); err != nil {
			return err
		}
	}
	src, err := (&AADFields{AAD: r.SourceAdditionalAuthenticatedData}).aadBytes()
	if err != nil {
		return err
	}
	dst, err := (&AADFields{AAD: r.DestinationAdditionalAuthenticatedData}).aadBytes()
	if err != nil {
		return err
	}
	if err := checkDatakeyCipherLength(r.DatakeyCipherLength); err != nil {
		return err
	}
	blob, isDEK, err := reEncryptCiphertext(r.CipherText, service.IsSymmetricAlgorithm(r.SourceEncryptionAlgorithm))
	if err != nil {
		return err
	}
	r.in = service.ReEncryptInput{
		Ciphertext: blob, DataKey: isDEK,
		SourceRef: r.SourceKeyID, SourceAlg: r.SourceEncryptionAlgorithm, SourceAAD: src,
		DestRef: r.DestinationKeyID, DestAlg: r.DestinationEncryptionAlgorithm, DestAAD: dst,
	}
	return nil
}

// Input returns the service's input; DataKey tells whether cipher_text is
// a hex DEK envelope (answered in hex) or base64.
func (r *ReEncryptReq) Input() service.ReEncryptInput { return r.in }

// reEncryptCiphertext tells the two symmetric ciphertext forms apart: hex
// that parses as a DEK envelope is one; anything else must be base64 (a
// data envelope, or an RSA/SM2 ciphertext).
func reEncryptCiphertext(s string, symmetric bool) ([]byte, bool, error) {
	if s == "" {
		return nil, false, kmserr.MissingParameter.Msgf("cipher_text is required.")
	}
	if symmetric && len(s) <= maxDatakeyCiphertextChars {
		if b, ok := decodeHex(s); ok {
			if h, err := keycrypto.ParseHeader(b); err == nil && h.Kind == keycrypto.KindDataKey {
				return b, true, nil
			}
		}
	}
	b, err := dataCiphertext("cipher_text", s)
	return b, false, err
}

// ReEncryptResp is ReEncryptResponse.
type ReEncryptResp struct {
	KeyID                          string `json:"key_id"`
	SourceKeyID                    string `json:"source_key_id"`
	SourceEncryptionAlgorithm      string `json:"source_encryption_algorithm"`
	DestinationEncryptionAlgorithm string `json:"destination_encryption_algorithm"`
	CipherText                     string `json:"cipher_text"`
}

// AuditKey implements Keyed: the destination key.
func (r ReEncryptResp) AuditKey() string { return r.KeyID }

// GenRandomReq is GenRandomRequestBody.
type GenRandomReq struct {
	RandomDataLength FlexString `json:"random_data_length"`
	Sequence         string     `json:"sequence"`
	n                int
}

// Validate: random_data_length required (KMS.0204), an integer number of
// bits 8-8192 (KMS.1801) and a multiple of 8 (KMS.1802).
func (r *GenRandomReq) Validate() error {
	if r.RandomDataLength == "" {
		return kmserr.MissingParameter.Msgf("random_data_length is required.")
	}
	bits, err := intField(r.RandomDataLength, 0, 8, 8*service.MaxRandomBytes, kmserr.RandomLength)
	if err != nil {
		return err
	}
	if bits%8 != 0 {
		return kmserr.RandomNotMultiple.Msgf("random_data_length must be a multiple of 8 bits, got %d.", bits)
	}
	r.n = bits / 8
	return domain.CheckSequence(r.Sequence)
}

// Size returns the number of random bytes.
func (r *GenRandomReq) Size() int { return r.n }

// GenRandomResp is CreateRandomResponse.
type GenRandomResp struct {
	RandomData string `json:"random_data"`
}
