package op

// Operation names. The identity operations have no Huawei KMS action name;
// kmsd names them "iam-…" after the Keystone call.
const (
	ShowVersions Name = "show-versions"
	ShowVersion  Name = "show-version"
	Healthz      Name = "healthz"
	Readyz       Name = "readyz"

	IAMCreateToken   Name = "iam-create-token"
	IAMValidateToken Name = "iam-validate-token"
	IAMListProjects  Name = "iam-list-projects"
	IAMAuthProjects  Name = "iam-auth-projects"
	IAMAuthDomains   Name = "iam-auth-domains"

	CreateKey            Name = "create-key"
	DescribeKey          Name = "describe-key"
	ListKeys             Name = "list-keys"
	UpdateKeyDescription Name = "update-key-description"
	UpdateKeyAlias       Name = "update-key-alias"
	EnableKey            Name = "enable-key"
	DisableKey           Name = "disable-key"
	ScheduleKeyDeletion  Name = "schedule-key-deletion"
	CancelKeyDeletion    Name = "cancel-key-deletion"
	UserInstances        Name = "user-instances"
	UserQuotas           Name = "user-quotas"

	EncryptData                   Name = "encrypt-data"
	DecryptData                   Name = "decrypt-data"
	CreateDatakey                 Name = "create-datakey"
	CreateDatakeyWithoutPlaintext Name = "create-datakey-without-plaintext"
	EncryptDatakey                Name = "encrypt-datakey"
	DecryptDatakey                Name = "decrypt-datakey"
	GenRandom                     Name = "gen-random"
	ReEncrypt                     Name = "re-encrypt"

	Sign                      Name = "sign"
	Verify                    Name = "verify"
	GetPublicKey              Name = "get-publickey"
	GenerateMAC               Name = "generate-mac"
	VerifyMAC                 Name = "verify-mac"
	CreateRSADatakeyPair      Name = "create-rsa-datakey-pair"
	CreateECDatakeyPair       Name = "create-ec-datakey-pair"
	DeriveSharedSecret        Name = "derive-shared-secret"
	GetParametersForImport    Name = "get-parameters-for-import"
	ImportKeyMaterial         Name = "import-key-material"
	DeleteImportedKeyMaterial Name = "delete-imported-key-material"
	CreatePin                 Name = "create-pin"

	EnableKeyRotation         Name = "enable-key-rotation"
	DisableKeyRotation        Name = "disable-key-rotation"
	UpdateKeyRotationInterval Name = "update-key-rotation-interval"
	GetKeyRotationStatus      Name = "get-key-rotation-status"

	CreateAlias    Name = "create-alias"
	DeleteAlias    Name = "delete-alias"
	ListAliases    Name = "list-aliases"
	AssociateAlias Name = "associate-alias"

	CreateKmsTag       Name = "create-kms-tag"
	ShowKmsTags        Name = "show-kms-tags"
	BatchCreateKmsTags Name = "batch-create-kms-tags"
	DeleteTag          Name = "delete-tag"
	ListKmsTags        Name = "list-kms-tags"
	ListKmsByTags      Name = "list-kms-by-tags"

	CreateGrant         Name = "create-grant"
	ListGrants          Name = "list-grants"
	RevokeGrant         Name = "revoke-grant"
	RetireGrant         Name = "retire-grant"
	ListRetirableGrants Name = "list-retirable-grants"

	ListSupportRegions  Name = "list-support-regions"
	ReplicateKey        Name = "replicate-key"
	UpdatePrimaryRegion Name = "update-primary-region"

	CreateKeystore  Name = "create-keystore"
	ListKeystores   Name = "list-keystores"
	ShowKeystore    Name = "show-keystore"
	DeleteKeystore  Name = "delete-keystore"
	EnableKeystore  Name = "enable-keystore"
	DisableKeystore Name = "disable-keystore"
)
