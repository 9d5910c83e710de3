package wire

import (
	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/keycrypto"
	"github.com/kmsd/kmsd/internal/kmserr"
)

// create-rsa-datakey-pair and create-ec-datakey-pair (crypto-api.md
// §2.14-§2.15).

var (
	rsaPairSpecs = []string{keycrypto.PairRSA2048, keycrypto.PairRSA3072, keycrypto.PairRSA4096}
	ecPairSpecs  = []string{keycrypto.PairECCNISTP256, keycrypto.PairECCNISTP384, keycrypto.PairECCNISTP521,
		keycrypto.PairECCSECGP256K, keycrypto.PairSM2}
)

// PairFields are the fields both pair requests share.
type PairFields struct {
	KeyID                       string `json:"key_id"`
	KeySpec                     string `json:"key_spec"`
	WithPlainText               *bool  `json:"with_plain_text"` // JSON boolean; default true
	AdditionalAuthenticatedData string `json:"additional_authenticated_data"`
	Sequence                    string `json:"sequence"`
}

// validate: key_id and key_spec required (KMS.0204), key_spec one of specs
// (KMS.1902), sequence (KMS.0206), AAD at most 128 bytes (KMS.0308).
func (f *PairFields) validate(specs []string) error {
	if err := fieldRequired("key_id", f.KeyID); err != nil {
		return err
	}
	if err := domain.CheckSequence(f.Sequence); err != nil {
		return err
	}
	if err := fieldEnum("key_spec", f.KeySpec, specs...); err != nil {
		if f.KeySpec == "" {
			return err
		}
		return kmserr.DatakeySpec.Msgf("key_spec must be one of %v, not %q.", specs, f.KeySpec)
	}
	return fieldAAD(f.AdditionalAuthenticatedData)
}

// RSAPairReq is CreateRsaDatakeyPairRequestBody.
type RSAPairReq struct{ PairFields }

// Validate: the PairFields rules, with the RSA specs.
func (r *RSAPairReq) Validate() error { return r.validate(rsaPairSpecs) }

// ECPairReq is CreateEcDatakeyPairRequestBody: it also has the level-4 PIN
// fields, treated exactly as create-datakey treats them.
type ECPairReq struct {
	PairFields
	LevelFourFields
}

// Validate: the PairFields rules, with the EC specs, and the PIN fields.
func (r *ECPairReq) Validate() error {
	if err := r.validate(ecPairSpecs); err != nil {
		return err
	}
	return r.validatePin()
}

// PairResp is CreateRsaDatakeyPairResponse / CreateEcDatakeyPairResponse.
type PairResp struct {
	KeyID                string `json:"key_id"`
	KeySpec              string `json:"key_spec"`
	PublicKey            string `json:"public_key"`
	PrivateKeyCipherText string `json:"private_key_cipher_text"`
	PrivateKeyPlainText  string `json:"private_key_plain_text,omitempty"`
}

// AuditKey implements Keyed.
func (r PairResp) AuditKey() string { return r.KeyID }
