package api

import (
	"encoding/hex"

	"github.com/kmsd/kmsd/internal/keycrypto"
	"github.com/kmsd/kmsd/internal/kmserr"
)

// generate-mac and verify-mac (crypto-api.md §2.12-§2.13).

// maxMACMessage is the largest MAC message, in bytes.
const maxMACMessage = 4096

var macAlgorithms = []string{keycrypto.AlgHMACSHA256, keycrypto.AlgHMACSHA384, keycrypto.AlgHMACSHA512, keycrypto.AlgHMACSM3}

// macReq is GenerateMacRequestBody (no sequence field).
type macReq struct {
	KeyID        string `json:"key_id"`
	MacAlgorithm string `json:"mac_algorithm"`
	Message      string `json:"message"`

	msg []byte
}

// Validate: every field required (KMS.0204); mac_algorithm in the enum and
// message base64 of 1-4096 bytes (KMS.0308).
func (r *macReq) Validate() error {
	if err := fieldRequired("key_id", r.KeyID); err != nil {
		return err
	}
	if err := fieldEnum("mac_algorithm", r.MacAlgorithm, macAlgorithms...); err != nil {
		return err
	}
	msg, err := fieldBase64("message", r.Message, 1, maxMACMessage, kmserr.InvalidParameter)
	r.msg = msg
	return err
}

// verifyMACReq is VerifyMacRequestBody: macReq plus the hex mac.
type verifyMACReq struct {
	macReq
	Mac string `json:"mac"`

	mac []byte
}

// Validate checks macReq's rules and that mac is hex (KMS.0308), either case.
func (r *verifyMACReq) Validate() error {
	if err := r.macReq.Validate(); err != nil {
		return err
	}
	mac, err := fieldHex("mac", r.Mac)
	r.mac = mac
	return err
}

func (s *Server) generateMAC(c *call) (int, any, error) {
	var req macReq
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	id, mac, err := s.Service.GenerateMAC(c.ctx, c.caller, req.KeyID, req.MacAlgorithm, req.msg)
	if err != nil {
		return 0, nil, err
	}
	c.setKey(id)
	return 200, map[string]string{"key_id": id, "mac_algorithm": req.MacAlgorithm, "mac": hex.EncodeToString(mac)}, nil
}

// verifyMACResp: mac_valid is a JSON boolean (crypto-api.md §1.1).
type verifyMACResp struct {
	KeyID        string `json:"key_id"`
	MacAlgorithm string `json:"mac_algorithm"`
	MacValid     bool   `json:"mac_valid"`
}

func (s *Server) verifyMAC(c *call) (int, any, error) {
	var req verifyMACReq
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	id, ok, err := s.Service.VerifyMAC(c.ctx, c.caller, req.KeyID, req.MacAlgorithm, req.msg, req.mac)
	if err != nil {
		return 0, nil, err
	}
	c.setKey(id)
	return 200, verifyMACResp{KeyID: id, MacAlgorithm: req.MacAlgorithm, MacValid: ok}, nil
}
