package wire

import (
	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
)

// Key lifecycle changes (management-api.md §3.4-§3.9).

// UpdateDescriptionReq is UpdateKeyDescriptionRequestBody.
type UpdateDescriptionReq struct {
	KeyID          string  `json:"key_id"`
	KeyDescription *string `json:"key_description"`
	Sequence       string  `json:"sequence"`
}

// Validate: KeyReq's rules; key_description present (KMS.0204, it may be
// empty) and valid (domain.CheckDescription).
func (r *UpdateDescriptionReq) Validate() error {
	if err := (&KeyReq{KeyID: r.KeyID, Sequence: r.Sequence}).Validate(); err != nil {
		return err
	}
	if r.KeyDescription == nil {
		return kmserr.MissingParameter.Msgf("key_description is required (it may be empty).")
	}
	return domain.CheckDescription(*r.KeyDescription)
}

// AuditKey implements Keyed.
func (r *UpdateDescriptionReq) AuditKey() string { return r.KeyID }

// DescriptionInfo is update-key-description's key_info.
type DescriptionInfo struct {
	KeyID          string `json:"key_id"`
	KeyDescription string `json:"key_description"`
}

// UpdateDescriptionResp is UpdateKeyDescriptionResponse.
type UpdateDescriptionResp struct {
	KeyInfo DescriptionInfo `json:"key_info"`
}

// UpdateAliasReq is UpdateKeyAliasRequestBody.
type UpdateAliasReq struct {
	KeyID    string `json:"key_id"`
	KeyAlias string `json:"key_alias"`
	Sequence string `json:"sequence"`
}

// Validate: KeyReq's rules; key_alias (domain.CheckKeyAlias).
func (r *UpdateAliasReq) Validate() error {
	if err := (&KeyReq{KeyID: r.KeyID, Sequence: r.Sequence}).Validate(); err != nil {
		return err
	}
	return domain.CheckKeyAlias(r.KeyAlias)
}

// AuditKey implements Keyed.
func (r *UpdateAliasReq) AuditKey() string { return r.KeyID }

// AliasInfo is update-key-alias's key_info.
type AliasInfo struct {
	KeyID    string `json:"key_id"`
	KeyAlias string `json:"key_alias"`
}

// UpdateAliasResp is UpdateKeyAliasResponse.
type UpdateAliasResp struct {
	KeyInfo AliasInfo `json:"key_info"`
}

// StateInfo is a key's id and state: the body of schedule-key-deletion and
// cancel-key-deletion, and the key_info of enable-key and disable-key.
type StateInfo struct {
	KeyID    string `json:"key_id"`
	KeyState string `json:"key_state"`
}

// KeyStateResp is EnableKeyResponse / DisableKeyResponse.
type KeyStateResp struct {
	KeyInfo StateInfo `json:"key_info"`
}

// ScheduleDeletionReq is ScheduleKeyDeletionRequestBody.
type ScheduleDeletionReq struct {
	KeyID       string `json:"key_id"`
	PendingDays string `json:"pending_days"`
	Sequence    string `json:"sequence"`

	days int
}

// Validate: KeyReq's rules; pending_days (domain.ParsePendingDays).
func (r *ScheduleDeletionReq) Validate() error {
	if err := (&KeyReq{KeyID: r.KeyID, Sequence: r.Sequence}).Validate(); err != nil {
		return err
	}
	var err error
	r.days, err = domain.ParsePendingDays(r.PendingDays)
	return err
}

// AuditKey implements Keyed.
func (r *ScheduleDeletionReq) AuditKey() string { return r.KeyID }

// Days returns pending_days.
func (r *ScheduleDeletionReq) Days() int { return r.days }
