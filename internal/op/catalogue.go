package op

import "net/http"

// Path prefixes of the KMS API (management-api.md, crypto-api.md).
const (
	kms       = "/v1.0/{project_id}/kms/"
	v2        = "/v2/{project_id}/kms/"
	keystores = "/v1.0/{project_id}/keystores"

	credentials = "/v3.0/OS-CREDENTIAL/credentials"
	member      = "/v3/groups/{group_id}/users/{user_id}"
	projectRole = "/v3/projects/{project_id}/groups/{group_id}/roles/{role_id}"
	domainRole  = "/v3/domains/{domain_id}/groups/{group_id}/roles/{role_id}"
)

const (
	get   = http.MethodGet
	post  = http.MethodPost
	put   = http.MethodPut
	del   = http.MethodDelete
	patch = http.MethodPatch
	head  = http.MethodHead

	created   = http.StatusCreated
	noContent = http.StatusNoContent
)

// catalogue is every operation kmsd serves. The IAM actions follow Huawei's
// "Actions Supported by Identity Policy-based Authorization (KMS)"; see
// docs/iam-actions.md.
var catalogue = []Op{
	{Name: ShowVersions, SDK: "ShowVersions", Method: get, Path: "/{$}", Auth: Public},
	{Name: ShowVersion, SDK: "ShowVersion", Method: get, Path: "/{version_id}", Auth: Public},
	{Name: Healthz, Method: get, Path: "/healthz", Auth: Public},
	{Name: Readyz, Method: get, Path: "/readyz", Auth: Public},
	{Name: IAMCreateToken, SDK: "KeystoneCreateUserTokenByPassword", Method: post, Path: "/v3/auth/tokens", Auth: Public, Status: created},
	{Name: IAMValidateToken, SDK: "KeystoneValidateToken", Method: get, Path: "/v3/auth/tokens", Auth: Identity},
	{Name: IAMListProjects, SDK: "KeystoneListProjects", Method: get, Path: "/v3/projects", Auth: Identity},
	{Name: IAMAuthProjects, SDK: "KeystoneListAuthProjects", Method: get, Path: "/v3/auth/projects", Auth: Identity},
	{Name: IAMAuthDomains, SDK: "KeystoneListAuthDomains", Method: get, Path: "/v3/auth/domains", Auth: Identity},

	{Name: IAMCreateUser, SDK: "KeystoneCreateUser", Method: post, Path: "/v3/users", Auth: Identity, IAMAction: "iam:users:createUser", Writes: true, AuditFirst: true, Status: created},
	{Name: IAMListUsers, SDK: "KeystoneListUsers", Method: get, Path: "/v3/users", Auth: Identity, IAMAction: "iam:users:listUsers"},
	{Name: IAMShowUser, SDK: "KeystoneShowUser", Method: get, Path: "/v3/users/{user_id}", Auth: Identity, IAMAction: "iam:users:getUser"},
	{Name: IAMUpdateUser, SDK: "KeystoneUpdateUserByAdmin", Method: patch, Path: "/v3/users/{user_id}", Auth: Identity, IAMAction: "iam:users:updateUser", Writes: true, AuditFirst: true},
	{Name: IAMUpdateUserV30, SDK: "UpdateUser", Method: put, Path: "/v3.0/OS-USER/users/{user_id}", Auth: Identity, IAMAction: "iam:users:updateUser", Writes: true, AuditFirst: true},
	{Name: IAMUpdateUserPassword, SDK: "KeystoneUpdateUserPassword", Method: post, Path: "/v3/users/{user_id}/password", Auth: Identity, Writes: true, AuditFirst: true, Status: noContent},
	{Name: IAMDeleteUser, SDK: "KeystoneDeleteUser", Method: del, Path: "/v3/users/{user_id}", Auth: Identity, IAMAction: "iam:users:deleteUser", Writes: true, AuditFirst: true, Status: noContent},

	{Name: IAMCreateAccessKey, SDK: "CreatePermanentAccessKey", Method: post, Path: credentials, Auth: Identity, IAMAction: "iam:credentials:createCredential", Writes: true, AuditFirst: true, Status: created},
	{Name: IAMListAccessKeys, SDK: "ListPermanentAccessKeys", Method: get, Path: credentials, Auth: Identity, IAMAction: "iam:credentials:listCredentials"},
	{Name: IAMShowAccessKey, SDK: "ShowPermanentAccessKey", Method: get, Path: credentials + "/{access_key}", Auth: Identity, IAMAction: "iam:credentials:getCredential"},
	{Name: IAMUpdateAccessKey, SDK: "UpdatePermanentAccessKey", Method: put, Path: credentials + "/{access_key}", Auth: Identity, IAMAction: "iam:credentials:updateCredential", Writes: true, AuditFirst: true},
	{Name: IAMDeleteAccessKey, SDK: "DeletePermanentAccessKey", Method: del, Path: credentials + "/{access_key}", Auth: Identity, IAMAction: "iam:credentials:deleteCredential", Writes: true, AuditFirst: true, Status: noContent},

	{Name: IAMCreateGroup, SDK: "KeystoneCreateGroup", Method: post, Path: "/v3/groups", Auth: Identity, IAMAction: "iam:groups:createGroup", Writes: true, AuditFirst: true, Status: created},
	{Name: IAMListGroups, SDK: "KeystoneListGroups", Method: get, Path: "/v3/groups", Auth: Identity, IAMAction: "iam:groups:listGroups"},
	{Name: IAMDeleteGroup, SDK: "KeystoneDeleteGroup", Method: del, Path: "/v3/groups/{group_id}", Auth: Identity, IAMAction: "iam:groups:deleteGroup", Writes: true, AuditFirst: true, Status: noContent},
	{Name: IAMAddUserToGroup, SDK: "KeystoneAddUserToGroup", Method: put, Path: member, Auth: Identity, IAMAction: "iam:groups:addUserToGroup", Writes: true, AuditFirst: true, Status: noContent},
	{Name: IAMRemoveUserFromGroup, SDK: "KeystoneRemoveUserFromGroup", Method: del, Path: member, Auth: Identity, IAMAction: "iam:groups:removeUserFromGroup", Writes: true, AuditFirst: true, Status: noContent},
	{Name: IAMCheckUserInGroup, SDK: "KeystoneCheckUserInGroup", Method: head, Path: member, Auth: Identity, IAMAction: "iam:groups:checkUserInGroup", Status: noContent},
	{Name: IAMListGroupUsers, SDK: "KeystoneListUsersForGroupByAdmin", Method: get, Path: "/v3/groups/{group_id}/users", Auth: Identity, IAMAction: "iam:users:listUsersForGroup"},

	{Name: IAMListPermissions, SDK: "KeystoneListPermissions", Method: get, Path: "/v3/roles", Auth: Identity, IAMAction: "iam:roles:listRoles"},
	{Name: IAMCreateCustomPolicy, SDK: "CreateCloudServiceCustomPolicy", Method: post, Path: "/v3.0/OS-ROLE/roles", Auth: Identity, IAMAction: "iam:roles:createRole", Writes: true, AuditFirst: true, Status: created},
	{Name: IAMGrantOnProject, SDK: "KeystoneAssociateGroupWithProjectPermission", Method: put, Path: projectRole, Auth: Identity, IAMAction: "iam:permissions:grantRoleToGroupOnProject", Writes: true, AuditFirst: true, Status: noContent},
	{Name: IAMGrantOnDomain, SDK: "KeystoneAssociateGroupWithDomainPermission", Method: put, Path: domainRole, Auth: Identity, IAMAction: "iam:permissions:grantRoleToGroupOnDomain", Writes: true, AuditFirst: true, Status: noContent},
	{Name: IAMRevokeOnProject, SDK: "KeystoneRemoveProjectPermissionFromGroup", Method: del, Path: projectRole, Auth: Identity, IAMAction: "iam:permissions:revokeRoleFromGroupOnProject", Writes: true, AuditFirst: true, Status: noContent},
	{Name: IAMRevokeOnDomain, SDK: "KeystoneRemoveDomainPermissionFromGroup", Method: del, Path: domainRole, Auth: Identity, IAMAction: "iam:permissions:revokeRoleFromGroupOnDomain", Writes: true, AuditFirst: true, Status: noContent},
	{Name: IAMCheckOnProject, SDK: "KeystoneCheckProjectPermissionForGroup", Method: head, Path: projectRole, Auth: Identity, IAMAction: "iam:permissions:checkRoleForGroupOnProject", Status: noContent},
	{Name: IAMCheckOnDomain, SDK: "KeystoneCheckDomainPermissionForGroup", Method: head, Path: domainRole, Auth: Identity, IAMAction: "iam:permissions:checkRoleForGroupOnDomain", Status: noContent},
	{Name: IAMListGrantsOnProject, SDK: "KeystoneListProjectPermissionsForGroup", Method: get, Path: "/v3/projects/{project_id}/groups/{group_id}/roles", Auth: Identity, IAMAction: "iam:permissions:listRolesForGroupOnProject"},
	{Name: IAMListGrantsOnDomain, SDK: "KeystoneListDomainPermissionsForGroup", Method: get, Path: "/v3/domains/{domain_id}/groups/{group_id}/roles", Auth: Identity, IAMAction: "iam:permissions:listRolesForGroupOnDomain"},

	{Name: CreateKey, SDK: "CreateKey", Method: post, Path: kms + "create-key", Auth: Project, IAMAction: "kms:cmk:create", Writes: true, AuditFirst: true},
	{Name: DescribeKey, SDK: "ListKeyDetail", Method: post, Path: kms + "describe-key", Auth: Project, IAMAction: "kms:cmk:get", Grantable: true},
	{Name: ListKeys, SDK: "ListKeys", Method: post, Path: kms + "list-keys", Auth: Project, IAMAction: "kms:cmk:list"},
	{Name: UpdateKeyDescription, SDK: "UpdateKeyDescription", Method: post, Path: kms + "update-key-description", Auth: Project, IAMAction: "kms:cmk:updateKeyDescription", Writes: true, AuditFirst: true},
	{Name: UpdateKeyAlias, SDK: "UpdateKeyAlias", Method: post, Path: kms + "update-key-alias", Auth: Project, IAMAction: "kms:cmk:updateKeyAlias", Writes: true, AuditFirst: true},
	{Name: EnableKey, SDK: "EnableKey", Method: post, Path: kms + "enable-key", Auth: Project, IAMAction: "kms:cmk:enable", Writes: true, AuditFirst: true},
	{Name: DisableKey, SDK: "DisableKey", Method: post, Path: kms + "disable-key", Auth: Project, IAMAction: "kms:cmk:disable", Writes: true, AuditFirst: true},
	{Name: ScheduleKeyDeletion, SDK: "DeleteKey", Method: post, Path: kms + "schedule-key-deletion", Auth: Project, IAMAction: "kms:cmk:scheduleKeyDeletion", Writes: true, AuditFirst: true},
	{Name: CancelKeyDeletion, SDK: "CancelKeyDeletion", Method: post, Path: kms + "cancel-key-deletion", Auth: Project, IAMAction: "kms:cmk:cancelKeyDeletion", Writes: true, AuditFirst: true},
	{Name: UserInstances, SDK: "ShowUserInstances", Method: get, Path: kms + "user-instances", Auth: Project, IAMAction: "kms::getInstance"},
	{Name: UserQuotas, SDK: "ShowUserQuotas", Method: get, Path: kms + "user-quotas", Auth: Project, IAMAction: "kms::getQuota"},

	{Name: EncryptData, SDK: "EncryptData", Method: post, Path: kms + "encrypt-data", Auth: Project, IAMAction: "kms:cmk:encryptData", Grantable: true},
	{Name: DecryptData, SDK: "DecryptData", Method: post, Path: kms + "decrypt-data", Auth: Project, IAMAction: "kms:cmk:decryptData", Grantable: true},
	{Name: CreateDatakey, SDK: "CreateDatakey", Method: post, Path: kms + "create-datakey", Auth: Project, IAMAction: "kms:cmk:createDataKey", Grantable: true},
	{Name: CreateDatakeyWithoutPlaintext, SDK: "CreateDatakeyWithoutPlaintext", Method: post, Path: kms + "create-datakey-without-plaintext", Auth: Project, IAMAction: "kms:cmk:createDataKeyWithoutPlaintext", Grantable: true},
	{Name: EncryptDatakey, SDK: "EncryptDatakey", Method: post, Path: kms + "encrypt-datakey", Auth: Project, IAMAction: "kms:cmk:encryptDataKey", Grantable: true},
	{Name: DecryptDatakey, SDK: "DecryptDatakey", Method: post, Path: kms + "decrypt-datakey", Auth: Project, IAMAction: "kms:cmk:decryptDataKey", Grantable: true},
	{Name: GenRandom, SDK: "CreateRandom", Method: post, Path: kms + "gen-random", Auth: Project, IAMAction: "kms::generateRandom"},
	{Name: ReEncrypt, SDK: "ReEncrypt", Method: post, Path: kms + "re-encrypt", Auth: Project, IAMAction: "kms:cmk:reEncrypt"},

	{Name: Sign, SDK: "Sign", Method: post, Path: kms + "sign", Auth: Project, IAMAction: "kms:cmk:sign"},
	{Name: Verify, SDK: "ValidateSignature", Method: post, Path: kms + "verify", Auth: Project, IAMAction: "kms:cmk:verify"},
	{Name: GetPublicKey, SDK: "ShowPublicKey", Method: post, Path: kms + "get-publickey", Auth: Project, IAMAction: "kms:cmk:getPublicKey"},
	{Name: GenerateMAC, SDK: "GenerateMac", Method: post, Path: kms + "generate-mac", Auth: Project, IAMAction: "kms:cmk:generateMac"},
	{Name: VerifyMAC, SDK: "VerifyMac", Method: post, Path: kms + "verify-mac", Auth: Project, IAMAction: "kms:cmk:verifyMac"},
	{Name: CreateRSADatakeyPair, SDK: "CreateRsaDatakeyPair", Method: post, Path: kms + "create-rsa-datakey-pair", Auth: Project, IAMAction: "kms:cmk:createRsaDataKeyPair"},
	{Name: CreateECDatakeyPair, SDK: "CreateEcDatakeyPair", Method: post, Path: kms + "create-ec-datakey-pair", Auth: Project, IAMAction: "kms:cmk:createEcDataKeyPair"},
	{Name: DeriveSharedSecret, SDK: "DeriveSharedSecret", Method: post, Path: kms + "derive-shared-secret", Auth: Project, IAMAction: "kms:cmk:deriveSharedSecret"},
	{Name: GetParametersForImport, SDK: "CreateParametersForImport", Method: post, Path: kms + "get-parameters-for-import", Auth: Project, IAMAction: "kms:cmk:getMaterial", Writes: true, AuditFirst: true},
	{Name: ImportKeyMaterial, SDK: "ImportKeyMaterial", Method: post, Path: kms + "import-key-material", Auth: Project, IAMAction: "kms:cmk:importMaterial", Writes: true, AuditFirst: true},
	{Name: DeleteImportedKeyMaterial, SDK: "DeleteImportedKeyMaterial", Method: post, Path: kms + "delete-imported-key-material", Auth: Project, IAMAction: "kms:cmk:deleteMaterial", Writes: true, AuditFirst: true},
	{Name: CreatePin, SDK: "CreatePin", Method: post, Path: kms + "create-pin", Auth: Project, IAMAction: "kms::createPin"},

	{Name: EnableKeyRotation, SDK: "EnableKeyRotation", Method: post, Path: kms + "enable-key-rotation", Auth: Project, IAMAction: "kms:cmk:enableRotation", Writes: true, AuditFirst: true},
	{Name: DisableKeyRotation, SDK: "DisableKeyRotation", Method: post, Path: kms + "disable-key-rotation", Auth: Project, IAMAction: "kms:cmk:disableRotation", Writes: true, AuditFirst: true},
	{Name: UpdateKeyRotationInterval, SDK: "UpdateKeyRotationInterval", Method: post, Path: kms + "update-key-rotation-interval", Auth: Project, IAMAction: "kms:cmk:updateRotation", Writes: true, AuditFirst: true},
	{Name: GetKeyRotationStatus, SDK: "ShowKeyRotationStatus", Method: post, Path: kms + "get-key-rotation-status", Auth: Project, IAMAction: "kms:cmk:getRotation"},

	{Name: CreateAlias, SDK: "CreateAlias", Method: post, Path: kms + "aliases", Auth: Project, IAMAction: "kms:alias:create", Writes: true, AuditFirst: true, Status: created},
	{Name: DeleteAlias, SDK: "DeleteAlias", Method: del, Path: kms + "aliases", Auth: Project, IAMAction: "kms:alias:delete", Writes: true, AuditFirst: true, Status: noContent},
	{Name: ListAliases, SDK: "ListAliases", Method: get, Path: kms + "aliases", Auth: Project, IAMAction: "kms:alias:list"},
	{Name: AssociateAlias, SDK: "AssociateAlias", Method: post, Path: kms + "alias/associate", Auth: Project, IAMAction: "kms:alias:associate", Writes: true, AuditFirst: true},

	{Name: CreateKmsTag, SDK: "CreateKmsTag", Method: post, Path: kms + "{key_id}/tags", Auth: Project, IAMAction: "kms:cmk:createTag", Writes: true, AuditFirst: true, Status: noContent},
	{Name: ShowKmsTags, SDK: "ShowKmsTags", Method: get, Path: kms + "{key_id}/tags", Auth: Project, IAMAction: "kms:cmk:listTags"},
	{Name: BatchCreateKmsTags, SDK: "BatchCreateKmsTags", Method: post, Path: kms + "{key_id}/tags/action", Auth: Project, IAMAction: "kms:cmk:createTags", Writes: true, AuditFirst: true, Status: noContent},
	{Name: DeleteTag, SDK: "DeleteTag", Method: del, Path: kms + "{key_id}/tags/{key}", Auth: Project, IAMAction: "kms:cmk:deleteTag", Writes: true, AuditFirst: true, Status: noContent},
	{Name: ListKmsTags, SDK: "ListKmsTags", Method: get, Path: kms + "tags", Auth: Project, IAMAction: "kms::listAllTags"},
	{Name: ListKmsByTags, SDK: "ListKmsByTags", Method: post, Path: kms + "resource_instances/action", Auth: Project, IAMAction: "kms::listResourceInstances"},

	{Name: CreateGrant, SDK: "CreateGrant", Method: post, Path: kms + "create-grant", Auth: Project, IAMAction: "kms:cmk:createGrant", Grantable: true, Writes: true, AuditFirst: true},
	{Name: ListGrants, SDK: "ListGrants", Method: post, Path: kms + "list-grants", Auth: Project, IAMAction: "kms:cmk:listGrants"},
	{Name: RevokeGrant, SDK: "CancelGrant", Method: post, Path: kms + "revoke-grant", Auth: Project, IAMAction: "kms:cmk:revokeGrant", Writes: true, AuditFirst: true},
	{Name: RetireGrant, SDK: "CancelSelfGrant", Method: post, Path: kms + "retire-grant", Auth: Project, IAMAction: "kms:cmk:retireGrant", Grantable: true, Writes: true, AuditFirst: true},
	{Name: ListRetirableGrants, SDK: "ListRetirableGrants", Method: post, Path: kms + "list-retirable-grants", Auth: Project, IAMAction: "kms::listRetirableGrants"},

	{Name: ListSupportRegions, SDK: "ListSupportRegions", Method: get, Path: v2 + "regions", Auth: Project, IAMAction: "kms::listSupportRegions"},
	{Name: ReplicateKey, SDK: "ReplicateKey", Method: post, Path: v2 + "keys/{key_id}/replicate", Auth: Project, IAMAction: "kms:cmk:replicate", Writes: true, AuditFirst: true},
	{Name: UpdatePrimaryRegion, SDK: "UpdatePrimaryRegion", Method: put, Path: v2 + "keys/{key_id}/update-primary-region", Auth: Project, IAMAction: "kms:cmk:updatePrimaryRegion", Writes: true, AuditFirst: true},

	{Name: CreateKeystore, SDK: "CreateKeyStore", Method: post, Path: keystores, Auth: Project, IAMAction: "kms:keystore:create", Writes: true, AuditFirst: true},
	{Name: ListKeystores, SDK: "ListKeyStores", Method: get, Path: keystores, Auth: Project, IAMAction: "kms:keystore:list"},
	{Name: ShowKeystore, SDK: "ShowKeyStore", Method: get, Path: keystores + "/{keystore_id}", Auth: Project, IAMAction: "kms:keystore:get"},
	{Name: DeleteKeystore, SDK: "DeleteKeyStore", Method: del, Path: keystores + "/{keystore_id}", Auth: Project, IAMAction: "kms:keystore:delete", Writes: true, AuditFirst: true, Status: noContent},
	{Name: EnableKeystore, SDK: "EnableKeyStore", Method: post, Path: keystores + "/{keystore_id}/enable", Auth: Project, IAMAction: "kms:keystore:enable", Writes: true, AuditFirst: true},
	{Name: DisableKeystore, SDK: "DisableKeyStore", Method: post, Path: keystores + "/{keystore_id}/disable", Auth: Project, IAMAction: "kms:keystore:disable", Writes: true, AuditFirst: true},
}
