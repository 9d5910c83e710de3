package wire

import "github.com/kmsd/kmsd/internal/kmserr"

// derive-shared-secret (crypto-api.md §2.16) and create-pin (§2.20).

// DeriveReq is DeriveSharedSecretRequestBody.
type DeriveReq struct {
	KeyID                 string         `json:"key_id"`
	KeyAgreementAlgorithm string         `json:"key_agreement_algorithm"`
	PublicKey             string         `json:"public_key"`
	Recipient             *RecipientSpec `json:"recipient"`

	peer []byte
}

// RecipientSpec is the Qingtian enclave recipient; kmsd has no enclaves.
type RecipientSpec struct {
	AttestationDocument    *string `json:"attestation_document"`
	KeyEncryptionAlgorithm *string `json:"key_encryption_algorithm"`
}

// Validate: key_id, key_agreement_algorithm and public_key required
// (KMS.0204); the algorithm must be ECDH, public_key base64 of at most 1024
// bytes, and a non-empty recipient is refused (KMS.0308).
func (r *DeriveReq) Validate() error {
	if err := fieldRequired("key_id", r.KeyID); err != nil {
		return err
	}
	if err := fieldEnum("key_agreement_algorithm", r.KeyAgreementAlgorithm, "ECDH"); err != nil {
		return err
	}
	peer, err := fieldBase64("public_key", r.PublicKey, 1, 1024, kmserr.InvalidParameter)
	if err != nil {
		return err
	}
	r.peer = peer
	if r.Recipient != nil && (r.Recipient.AttestationDocument != nil || r.Recipient.KeyEncryptionAlgorithm != nil) {
		return kmserr.InvalidParameter.Msgf("recipient is not supported: kmsd has no Qingtian enclave attestation.")
	}
	return nil
}

// Peer returns the decoded public_key.
func (r *DeriveReq) Peer() []byte { return r.peer }

// DeriveResp is DeriveSharedSecretResponse.
type DeriveResp struct {
	KeyAgreementAlgorithm string `json:"key_agreement_algorithm"`
	KeyID                 string `json:"key_id"`
	SharedSecret          string `json:"shared_secret"`
}

// AuditKey implements Keyed.
func (r DeriveResp) AuditKey() string { return r.KeyID }

// PinReq is CreatePinRequestBody.
type PinReq struct {
	PinType    string `json:"pin_type"`
	KeystoreID string `json:"keystore_id"`
}

// Validate: pin_type CipherText (default) or PlainText, keystore_id at most
// 64 characters (KMS.0308); both are otherwise ignored.
func (r *PinReq) Validate() error {
	if r.PinType != "" {
		if err := fieldEnum("pin_type", r.PinType, "CipherText", "PlainText"); err != nil {
			return err
		}
	}
	if len(r.KeystoreID) > 64 {
		return kmserr.InvalidParameter.Msgf("keystore_id must be at most 64 characters.")
	}
	return nil
}

// PinResp is CreatePinResponse.
type PinResp struct {
	Pin string `json:"pin"`
}
