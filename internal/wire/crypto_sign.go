package wire

import (
	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/keycrypto"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/service"
)

// sign, verify and get-publickey (crypto-api.md §2.9-§2.11).

// maxSignMessage: sign/verify messages must be shorter than 4096 bytes.
const maxSignMessage = 4095

// signingAlgorithms is the signing_algorithm enum of the SDK.
var signingAlgorithms = []string{
	keycrypto.AlgRSASSAPSSSHA256, keycrypto.AlgRSASSAPSSSHA384, keycrypto.AlgRSASSAPSSSHA512,
	keycrypto.AlgRSASSAPKCS1v15SHA256, keycrypto.AlgRSASSAPKCS1v15SHA384, keycrypto.AlgRSASSAPKCS1v15SHA512,
	keycrypto.AlgECDSASHA256, keycrypto.AlgECDSASHA384, keycrypto.AlgECDSASHA512, keycrypto.AlgSM2DSASM3,
}

// SignReq is SignRequestBody.
type SignReq struct {
	KeyID            string `json:"key_id"`
	Message          string `json:"message"`
	SigningAlgorithm string `json:"signing_algorithm"`
	MessageType      string `json:"message_type"`
	Sequence         string `json:"sequence"`

	msg []byte
}

// Validate checks every field and decodes message: key_id and message
// required (KMS.0204); message base64 of 1-4095 bytes, signing_algorithm in
// the enum, message_type DIGEST (default) or RAW (else KMS.0308).
func (r *SignReq) Validate() error {
	if err := fieldRequired("key_id", r.KeyID); err != nil {
		return err
	}
	if err := domain.CheckSequence(r.Sequence); err != nil {
		return err
	}
	msg, err := fieldBase64("message", r.Message, 1, maxSignMessage, kmserr.InvalidParameter)
	if err != nil {
		return err
	}
	r.msg = msg
	if err := fieldEnum("signing_algorithm", r.SigningAlgorithm, signingAlgorithms...); err != nil {
		return err
	}
	if r.MessageType != "" {
		return fieldEnum("message_type", r.MessageType, "DIGEST", "RAW")
	}
	return nil
}

// Input returns the service's signature request.
func (r *SignReq) Input() service.Signature {
	return service.Signature{KeyRef: r.KeyID, Algorithm: r.SigningAlgorithm, Message: r.msg, Raw: r.MessageType == "RAW"}
}

// VerifyReq is VerifyRequestBody: SignReq plus a base64 signature.
type VerifyReq struct {
	SignReq
	Signature string `json:"signature"`

	sig []byte
}

// Validate checks SignReq's rules and that signature is base64 (KMS.0308)
// of at most 4096 bytes.
func (r *VerifyReq) Validate() error {
	if err := r.SignReq.Validate(); err != nil {
		return err
	}
	sig, err := fieldBase64("signature", r.Signature, 1, 4096, kmserr.InvalidParameter)
	r.sig = sig
	return err
}

// SignatureBytes returns the decoded signature.
func (r *VerifyReq) SignatureBytes() []byte { return r.sig }

// SignResp is SignResponse.
type SignResp struct {
	KeyID     string `json:"key_id"`
	Signature string `json:"signature"`
}

// AuditKey implements Keyed.
func (r SignResp) AuditKey() string { return r.KeyID }

// VerifyResp is ValidateSignatureResponse; signature_valid is a JSON
// string, "true" or "false" (crypto-api.md §1.1).
type VerifyResp struct {
	KeyID          string `json:"key_id"`
	SignatureValid string `json:"signature_valid"`
}

// AuditKey implements Keyed.
func (r VerifyResp) AuditKey() string { return r.KeyID }

// PublicKeyResp is ShowPublicKeyResponse.
type PublicKeyResp struct {
	KeyID     string `json:"key_id"`
	PublicKey string `json:"public_key"`
}

// AuditKey implements Keyed.
func (r PublicKeyResp) AuditKey() string { return r.KeyID }
