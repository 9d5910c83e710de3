package wire

import (
	"strconv"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/keycrypto"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/service"
)

// get-parameters-for-import, import-key-material and
// delete-imported-key-material (crypto-api.md §2.17-§2.19). These name the
// key by id only (KMS.0205 otherwise): the import token binds the id. Their
// requests do not report the key: the audit record names it once the
// operation succeeded (the responses do).

// ImportParamsReq is GetParametersForImportRequestBody.
type ImportParamsReq struct {
	KeyID             string `json:"key_id"`
	WrappingAlgorithm string `json:"wrapping_algorithm"`
	Sequence          string `json:"sequence"`
}

// Validate: key_id a key id (KMS.0204/0205), sequence (KMS.0206),
// wrapping_algorithm required (KMS.0204) and RSAES_OAEP_SHA_256 or
// RSAES_OAEP_SHA_1; SM2_ENCRYPT and anything else KMS.0308.
func (r *ImportParamsReq) Validate() error {
	if err := domain.CheckKeyID(r.KeyID); err != nil {
		return err
	}
	if err := domain.CheckSequence(r.Sequence); err != nil {
		return err
	}
	if r.WrappingAlgorithm == keycrypto.AlgSM2Encrypt {
		return kmserr.InvalidParameter.Msgf("wrapping_algorithm SM2_ENCRYPT is not offered; use RSAES_OAEP_SHA_256.")
	}
	return fieldEnum("wrapping_algorithm", r.WrappingAlgorithm, keycrypto.AlgRSAESOAEPSHA256, keycrypto.AlgRSAESOAEPSHA1)
}

// ImportParamsResp is CreateParametersForImportResponse: expiration_time
// is a JSON number of Unix seconds.
type ImportParamsResp struct {
	KeyID          string `json:"key_id"`
	ImportToken    string `json:"import_token"`
	ExpirationTime int64  `json:"expiration_time"`
	PublicKey      string `json:"public_key"`
}

// AuditKey implements Keyed.
func (r ImportParamsResp) AuditKey() string { return r.KeyID }

// maxExpiry is the latest accepted expiration_time (9999-12-31T23:59:59Z).
const maxExpiry = 253402300799

// ImportReq is ImportKeyMaterialRequestBody; expiration_time may be a JSON
// number (the SDK) or a string (Terraform).
type ImportReq struct {
	KeyID                string     `json:"key_id"`
	ImportToken          string     `json:"import_token"`
	EncryptedKeyMaterial string     `json:"encrypted_key_material"`
	EncryptedPrivatekey  string     `json:"encrypted_privatekey"`
	ExpirationTime       FlexString `json:"expiration_time"`
	Sequence             string     `json:"sequence"`

	in service.MaterialImport
}

// Validate decodes every field: key_id (KMS.0204/0205); import_token
// required (KMS.0204), 200-6144 base64 characters (KMS.2605);
// encrypted_key_material required, 344-360 base64 characters (KMS.0308);
// encrypted_privatekey at most 6144 base64 characters (KMS.0308);
// expiration_time an integer number of Unix seconds up to year 9999
// (KMS.0308; whether it is in the future is the service's KMS.2602).
func (r *ImportReq) Validate() error {
	if err := domain.CheckKeyID(r.KeyID); err != nil {
		return err
	}
	if err := domain.CheckSequence(r.Sequence); err != nil {
		return err
	}
	r.in.KeyID = r.KeyID
	var err error
	if r.in.Token, err = fieldBase64Chars("import_token", r.ImportToken, 200, 6144, kmserr.ImportTokenInvalid); err != nil {
		return err
	}
	if r.in.EncryptedMaterial, err = fieldBase64Chars("encrypted_key_material", r.EncryptedKeyMaterial, 344, 360, kmserr.InvalidParameter); err != nil {
		return err
	}
	if r.EncryptedPrivatekey != "" {
		if r.in.EncryptedPrivateKey, err = fieldBase64Chars("encrypted_privatekey", r.EncryptedPrivatekey, 1, 6144, kmserr.InvalidParameter); err != nil {
			return err
		}
	}
	return r.parseExpiry()
}

func (r *ImportReq) parseExpiry() error {
	if r.ExpirationTime == "" {
		return nil
	}
	sec, err := strconv.ParseInt(string(r.ExpirationTime), 10, 64)
	if err != nil || sec > maxExpiry {
		return kmserr.InvalidParameter.Msgf("expiration_time must be an integer number of Unix seconds, got %q.", string(r.ExpirationTime))
	}
	if sec <= 0 {
		return kmserr.ImportExpiry
	}
	r.in.Expiry = time.Unix(sec, 0).UTC()
	return nil
}

// Input returns the service's input.
func (r *ImportReq) Input() service.MaterialImport { return r.in }

// fieldBase64Chars is fieldBase64 with the length counted in base64
// characters, as the SDK's regexes do.
func fieldBase64Chars(name, v string, minChars, maxChars int, bad *kmserr.Error) ([]byte, error) {
	if v != "" && (len(v) < minChars || len(v) > maxChars) {
		return nil, bad.Msgf("%s must be %d-%d base64 characters, got %d.", name, minChars, maxChars, len(v))
	}
	return fieldBase64(name, v, 1, maxChars, bad)
}

// DeleteMaterialReq is delete-imported-key-material's body
// (OperateKeyRequestBody), checked as KeyReq is; unlike KeyReq it does not
// report its key (see above).
type DeleteMaterialReq KeyReq

// Validate: KeyReq's rules.
func (r *DeleteMaterialReq) Validate() error { return (*KeyReq)(r).Validate() }
