package wire

import (
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/service"
)

// Rotation actions (management-api.md §3.10-§3.13); enable-key-rotation,
// disable-key-rotation and get-key-rotation-status take a KeyRefSeqReq.

// RotationIntervalReq is UpdateKeyRotationIntervalRequestBody.
type RotationIntervalReq struct {
	KeyID            string     `json:"key_id"`
	RotationInterval FlexString `json:"rotation_interval"`
	Sequence         string     `json:"sequence"`

	days int
}

// Validate: KeyRefSeqReq's rules; rotation_interval required (KMS.0204),
// an integer number of days in the service's range (KMS.3001).
func (r *RotationIntervalReq) Validate() error {
	if err := (&KeyRefSeqReq{KeyID: r.KeyID, Sequence: r.Sequence}).Validate(); err != nil {
		return err
	}
	if r.RotationInterval == "" {
		return kmserr.MissingParameter.Msgf("rotation_interval is required.")
	}
	var err error
	r.days, err = intField(r.RotationInterval, 0, service.MinRotationDays, service.MaxRotationDays, kmserr.RotationInterval)
	return err
}

// AuditKey implements Keyed.
func (r *RotationIntervalReq) AuditKey() string { return r.KeyID }

// Days returns rotation_interval.
func (r *RotationIntervalReq) Days() int { return r.days }

// RotationStatusResp is ShowKeyRotationStatusResponse; the SDK decodes
// key_rotation_enabled as a boolean and the counts as integers.
type RotationStatusResp struct {
	KeyRotationEnabled bool   `json:"key_rotation_enabled"`
	RotationInterval   int    `json:"rotation_interval"`
	LastRotationTime   string `json:"last_rotation_time"`
	NumberOfRotations  int    `json:"number_of_rotations"`
}
