package iampolicy

import (
	"crypto/sha256"
	"encoding/hex"
)

// Role is a system-defined role or policy: built in, the same in every
// account, listed by GET /v3/roles.
type Role struct {
	ID          string // 32 hex, derived from DisplayName: stable across nodes and versions
	Name        string
	DisplayName string
	// Type "XA": a project-level service's permission (KMS is one).
	Type        string
	Catalog     string
	Description string
	Document    Document
}

// The KMS system permissions Huawei's DEW user guide lists ("Permissions
// Management": "KMS Administrator", a role; "KMS CMKFullAccess" and, in some
// regions, "KMS CMK Admin", all permissions for keys; "KMS
// CMKReadOnlyAccess", read-only). Huawei publishes no crypto-only system
// policy: that is a custom policy (docs/iam.md).
var systemRoles = []Role{
	newRole("kms_adm", "KMS Administrator", "Administrator permissions for the encryption key.", "1.0",
		[]string{"KMS:*:*"}),
	newRole("kms_cmk_full_access", "KMS CMKFullAccess", "All permissions for the encryption keys.", "1.1",
		[]string{"kms:*:*"}),
	newRole("kms_cmk_admin", "KMS CMK Admin", "All permissions for the encryption keys.", "1.1",
		[]string{"kms:*:*"}),
	newRole("kms_cmk_read_only_access", "KMS CMKReadOnlyAccess", "Read-only permission for encryption keys.", "1.1",
		readOnlyActions),
}

// readOnlyActions are the actions of every KMS operation that reads and
// neither changes state nor uses key material (docs/permissions.md).
var readOnlyActions = []string{
	"kms:cmk:get", "kms:cmk:list", "kms:cmk:getRotation", "kms:cmk:getPublicKey", "kms:cmk:listTags",
	"kms:cmk:listGrants", "kms:alias:list", "kms:keystore:get", "kms:keystore:list", "kms::getInstance",
	"kms::getQuota", "kms::listAllTags", "kms::listResourceInstances", "kms::listRetirableGrants",
	"kms::listSupportRegions",
}

func newRole(name, display, desc, version string, actions []string) Role {
	sum := sha256.Sum256([]byte("kmsd:system-role:" + display))
	return Role{ID: hex.EncodeToString(sum[:16]), Name: name, DisplayName: display, Type: "XA", Catalog: "KMS",
		Description: desc, Document: Document{Version: version, Statement: []Statement{{Effect: "Allow", Action: actions}}}}
}

// SystemRoles returns the system-defined roles and policies.
func SystemRoles() []Role { return append([]Role(nil), systemRoles...) }

// SystemRole returns the system role or policy with id.
func SystemRole(id string) (Role, bool) {
	for _, r := range systemRoles {
		if r.ID == id {
			return r, true
		}
	}
	return Role{}, false
}
