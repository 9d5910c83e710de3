package api

import (
	"encoding/base64"

	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/service"
)

// derive-shared-secret (crypto-api.md §2.16) and create-pin (§2.20).

// deriveReq is DeriveSharedSecretRequestBody.
type deriveReq struct {
	KeyID                 string         `json:"key_id"`
	KeyAgreementAlgorithm string         `json:"key_agreement_algorithm"`
	PublicKey             string         `json:"public_key"`
	Recipient             *recipientSpec `json:"recipient"`

	peer []byte
}

// recipientSpec is the Qingtian enclave recipient; kmsd has no enclaves.
type recipientSpec struct {
	AttestationDocument    *string `json:"attestation_document"`
	KeyEncryptionAlgorithm *string `json:"key_encryption_algorithm"`
}

// Validate: key_id, key_agreement_algorithm and public_key required
// (KMS.0204); the algorithm must be ECDH, public_key base64 of at most 1024
// bytes, and a non-empty recipient is refused (KMS.0308).
func (r *deriveReq) Validate() error {
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

func (s *Server) deriveSharedSecret(c *call) (int, any, error) {
	var req deriveReq
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	id, secret, err := s.Service.DeriveSharedSecret(c.ctx, c.caller, req.KeyID, req.peer)
	if err != nil {
		return 0, nil, err
	}
	c.setKey(id)
	out := base64.StdEncoding.EncodeToString(secret)
	clear(secret)
	return 200, map[string]string{"key_id": id, "key_agreement_algorithm": "ECDH", "shared_secret": out}, nil
}

// pinReq is CreatePinRequestBody.
type pinReq struct {
	PinType    string `json:"pin_type"`
	KeystoreID string `json:"keystore_id"`
}

// Validate: pin_type CipherText (default) or PlainText, keystore_id at most
// 64 characters (KMS.0308); both are otherwise ignored.
func (r *pinReq) Validate() error {
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

func (s *Server) createPin(c *call) (int, any, error) {
	var req pinReq
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	return 200, map[string]string{"pin": service.NewPIN()}, nil
}
