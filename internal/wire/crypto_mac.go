package wire

import (
	"github.com/kmsd/kmsd/internal/keycrypto"
	"github.com/kmsd/kmsd/internal/kmserr"
)

// generate-mac and verify-mac (crypto-api.md §2.12-§2.13).

// maxMACMessage is the largest MAC message, in bytes.
const maxMACMessage = 4096

var macAlgorithms = []string{keycrypto.AlgHMACSHA256, keycrypto.AlgHMACSHA384, keycrypto.AlgHMACSHA512, keycrypto.AlgHMACSM3}

// MACReq is GenerateMacRequestBody (no sequence field).
type MACReq struct {
	KeyID        string `json:"key_id"`
	MacAlgorithm string `json:"mac_algorithm"`
	Message      string `json:"message"`

	msg []byte
}

// Validate: every field required (KMS.0204); mac_algorithm in the enum and
// message base64 of 1-4096 bytes (KMS.0308).
func (r *MACReq) Validate() error {
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

// MessageBytes returns the decoded message.
func (r *MACReq) MessageBytes() []byte { return r.msg }

// VerifyMACReq is VerifyMacRequestBody: MACReq plus the hex mac.
type VerifyMACReq struct {
	MACReq
	Mac string `json:"mac"`

	mac []byte
}

// Validate checks MACReq's rules and that mac is hex (KMS.0308), either case.
func (r *VerifyMACReq) Validate() error {
	if err := r.MACReq.Validate(); err != nil {
		return err
	}
	mac, err := fieldHex("mac", r.Mac)
	r.mac = mac
	return err
}

// MACBytes returns the decoded mac.
func (r *VerifyMACReq) MACBytes() []byte { return r.mac }

// GenerateMACResp is GenerateMacResponse.
type GenerateMACResp struct {
	KeyID        string `json:"key_id"`
	Mac          string `json:"mac"`
	MacAlgorithm string `json:"mac_algorithm"`
}

// AuditKey implements Keyed.
func (r GenerateMACResp) AuditKey() string { return r.KeyID }

// VerifyMACResp is VerifyMacResponse: mac_valid is a JSON boolean
// (crypto-api.md §1.1).
type VerifyMACResp struct {
	KeyID        string `json:"key_id"`
	MacAlgorithm string `json:"mac_algorithm"`
	MacValid     bool   `json:"mac_valid"`
}

// AuditKey implements Keyed.
func (r VerifyMACResp) AuditKey() string { return r.KeyID }
