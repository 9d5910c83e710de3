package op

// Huawei documents KMS's IAM actions twice (see docs/operations.md): the
// identity-policy reference (2025) names one action per API, which is
// Op.IAMAction; the older role/policy reference (2019-2021) used coarser
// names, which the new pages list as aliases that policies may still use.

// legacyActions are the aliases of each operation's IAM action.
var legacyActions = map[Name][]string{
	UpdateKeyDescription:          {"kms:cmk:update"},
	UpdateKeyAlias:                {"kms:cmk:update"},
	ScheduleKeyDeletion:           {"kms:cmk:update"},
	CancelKeyDeletion:             {"kms:cmk:update"},
	UserInstances:                 {"kms:cmk:getInstance"},
	UserQuotas:                    {"kms:cmk:getQuota"},
	EncryptData:                   {"kms:cmk:crypto", "kms:cmk:encrypt"},
	DecryptData:                   {"kms:cmk:crypto", "kms:cmk:decrypt"},
	ReEncrypt:                     {"kms:cmk:crypto"},
	CreateDatakey:                 {"kms:dek:create"},
	CreateDatakeyWithoutPlaintext: {"kms:dek:create"},
	CreateRSADatakeyPair:          {"kms:dek:create"},
	CreateECDatakeyPair:           {"kms:dek:create"},
	EncryptDatakey:                {"kms:dek:crypto", "kms:dek:encrypt"},
	DecryptDatakey:                {"kms:dek:crypto", "kms:dek:decrypt"},
	GenRandom:                     {"kms:cmk:generate"},
	CreateKmsTag:                  {"kms:cmkTag:create"},
	ShowKmsTags:                   {"kms:cmkTag:list"},
	BatchCreateKmsTags:            {"kms:cmkTag:batch"},
	DeleteTag:                     {"kms:cmkTag:delete"},
	ListKmsByTags:                 {"kms:cmkTag:listInstance"},
	CreateGrant:                   {"kms:grant:create"},
	ListGrants:                    {"kms:grant:list"},
	RevokeGrant:                   {"kms:grant:revoke"},
	RetireGrant:                   {"kms:grant:retire"},
	ListRetirableGrants:           {"kms:grant:list"},
}

// inferredActions are the operations whose IAM action no Huawei page we
// could read names: the name follows the pattern of the documented ones.
var inferredActions = map[Name]bool{
	ReEncrypt: true, Verify: true, GenerateMAC: true, VerifyMAC: true, CreateRSADatakeyPair: true,
	CreateECDatakeyPair: true, DeriveSharedSecret: true, CreatePin: true, DeleteImportedKeyMaterial: true,
	EnableKeyRotation: true, DisableKeyRotation: true, UpdateKeyRotationInterval: true, GetKeyRotationStatus: true,
	DeleteAlias: true, ListAliases: true, AssociateAlias: true, ShowKmsTags: true, DeleteTag: true,
	ListKmsByTags: true, RevokeGrant: true, RetireGrant: true, ListRetirableGrants: true,
	ListSupportRegions: true, ReplicateKey: true, UpdatePrimaryRegion: true, CreateKeystore: true,
	ListKeystores: true, ShowKeystore: true, DeleteKeystore: true, EnableKeystore: true, DisableKeystore: true,
}

// IAMAliases returns the older action names that also authorize o.
func (o Op) IAMAliases() []string { return legacyActions[o.Name] }

// IAMInferred reports whether o's IAM action is kmsd's inference rather
// than a name read on a Huawei page.
func (o Op) IAMInferred() bool { return inferredActions[o.Name] }
