package api

import (
	"encoding/base64"
	"strconv"

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

// signReq is SignRequestBody.
type signReq struct {
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
func (r *signReq) Validate() error {
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

func (r *signReq) signature() service.Signature {
	return service.Signature{KeyRef: r.KeyID, Algorithm: r.SigningAlgorithm, Message: r.msg, Raw: r.MessageType == "RAW"}
}

// verifyReq is VerifyRequestBody: signReq plus a base64 signature.
type verifyReq struct {
	signReq
	Signature string `json:"signature"`

	sig []byte
}

// Validate checks signReq's rules and that signature is base64 (KMS.0308)
// of at most 4096 bytes.
func (r *verifyReq) Validate() error {
	if err := r.signReq.Validate(); err != nil {
		return err
	}
	sig, err := fieldBase64("signature", r.Signature, 1, 4096, kmserr.InvalidParameter)
	r.sig = sig
	return err
}

func (s *Server) sign(c *call) (int, any, error) {
	var req signReq
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	id, sig, err := s.Service.Sign(c.ctx, c.caller, req.signature())
	if err != nil {
		return 0, nil, err
	}
	c.setKey(id)
	return 200, map[string]string{"key_id": id, "signature": base64.StdEncoding.EncodeToString(sig)}, nil
}

func (s *Server) verify(c *call) (int, any, error) {
	var req verifyReq
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	id, ok, err := s.Service.Verify(c.ctx, c.caller, req.signature(), req.sig)
	if err != nil {
		return 0, nil, err
	}
	c.setKey(id)
	// signature_valid is a JSON string, "true" or "false" (crypto-api.md §1.1).
	return 200, map[string]string{"key_id": id, "signature_valid": strconv.FormatBool(ok)}, nil
}

func (s *Server) getPublicKey(c *call) (int, any, error) {
	var req keyRefReq
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	id, pem, err := s.Service.PublicKey(c.ctx, c.caller, req.KeyID)
	if err != nil {
		return 0, nil, err
	}
	c.setKey(id)
	return 200, map[string]string{"key_id": id, "public_key": pem}, nil
}
