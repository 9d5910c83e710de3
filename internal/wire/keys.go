package wire

import (
	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
)

// Key lifecycle actions: create-key, describe-key (management-api.md
// §3.1-§3.2), and the key references the other families share.

// CreateKeyReq is CreateKeyRequestBody.
type CreateKeyReq struct {
	KeyAlias            string  `json:"key_alias"`
	KeySpec             string  `json:"key_spec"`
	KeyUsage            string  `json:"key_usage"`
	KeyDescription      string  `json:"key_description"`
	Origin              string  `json:"origin"`
	EnterpriseProjectID string  `json:"enterprise_project_id"`
	Sequence            string  `json:"sequence"`
	KeystoreID          string  `json:"keystore_id"`
	VMID                *string `json:"vm_id"` // accepted and ignored (level-4 evaluation only)
	// Realm is the region the key is created in, which golangsdk (the
	// Terraform provider's HTTP layer) sends; when given it must be the
	// caller's region (KMS.1102), checked by the handler.
	Realm string `json:"realm"`
}

// Validate: sequence (KMS.0206) and key_alias (domain.CheckKeyAlias).
func (r *CreateKeyReq) Validate() error {
	if err := domain.CheckSequence(r.Sequence); err != nil {
		return err
	}
	return domain.CheckKeyAlias(r.KeyAlias)
}

// KeyIDInfo is create-key's key_info.
type KeyIDInfo struct {
	KeyID    string `json:"key_id"`
	DomainID string `json:"domain_id"`
	RegionID string `json:"region_id,omitempty"`
}

// CreateKeyResp is CreateKeyResponse.
type CreateKeyResp struct {
	KeyInfo KeyIDInfo `json:"key_info"`
}

// AuditKey implements Keyed: the new key.
func (r CreateKeyResp) AuditKey() string { return r.KeyInfo.KeyID }

// KeyReq is the body of actions that name one key by id
// (OperateKeyRequestBody).
type KeyReq struct {
	KeyID    string `json:"key_id"`
	Sequence string `json:"sequence"`
}

// Validate: sequence (KMS.0206), key_id a key id (KMS.0204/0205).
func (r *KeyReq) Validate() error {
	if err := domain.CheckSequence(r.Sequence); err != nil {
		return err
	}
	return domain.CheckKeyID(r.KeyID)
}

// AuditKey implements Keyed.
func (r *KeyReq) AuditKey() string { return r.KeyID }

// KeyRefReq is KeyReq whose key_id may also be an alias or alias URN
// (describe-key, get-publickey). It does not report its key: the response
// names the key it resolved to.
type KeyRefReq KeyReq

// Validate: key_id present (KMS.0204), sequence (KMS.0206).
func (r *KeyRefReq) Validate() error {
	if r.KeyID == "" {
		return kmserr.MissingParameter.Msgf("key_id is required.")
	}
	return domain.CheckSequence(r.Sequence)
}

// KeyRefSeqReq is the body of management actions naming one key
// (OperateKeyRequestBody) whose key_id may be an id, alias or alias URN.
type KeyRefSeqReq KeyReq

// Validate: sequence (KMS.0206), key_id a key reference (mgmtKeyRef).
func (r *KeyRefSeqReq) Validate() error {
	if err := domain.CheckSequence(r.Sequence); err != nil {
		return err
	}
	return mgmtKeyRef("key_id", r.KeyID)
}

// AuditKey implements Keyed.
func (r *KeyRefSeqReq) AuditKey() string { return r.KeyID }

// KeyDetails is the KeyDetails object (management-api.md §2.1). Every field
// is a JSON string: the SDK decodes strictly.
type KeyDetails struct {
	KeyID                  string `json:"key_id"`
	DomainID               string `json:"domain_id"`
	KeyAlias               string `json:"key_alias"`
	Realm                  string `json:"realm"`
	KeySpec                string `json:"key_spec"`
	KeyUsage               string `json:"key_usage"`
	KeyDescription         string `json:"key_description"`
	CreationDate           string `json:"creation_date"`
	ScheduledDeletionDate  string `json:"scheduled_deletion_date"`
	KeyState               string `json:"key_state"`
	DefaultKeyFlag         string `json:"default_key_flag"`
	KeyType                string `json:"key_type"`
	ExpirationTime         string `json:"expiration_time"`
	Origin                 string `json:"origin"`
	KeyRotationEnabled     string `json:"key_rotation_enabled"`
	SysEnterpriseProjectID string `json:"sys_enterprise_project_id"`
	KeystoreID             string `json:"keystore_id"`
}

// DescribeKeyResp is ListKeyDetailResponse.
type DescribeKeyResp struct {
	KeyInfo KeyDetails `json:"key_info"`
}

// AuditKey implements Keyed: the key the reference resolved to.
func (r DescribeKeyResp) AuditKey() string { return r.KeyInfo.KeyID }
