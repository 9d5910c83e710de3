package domain

// Grantable operations (management-api.md §6). A grant lists some of these;
// the grantee may call exactly those actions on the key.
const (
	OpCreateDatakey            = "create-datakey"
	OpCreateDatakeyNoPlaintext = "create-datakey-without-plaintext"
	OpEncryptDatakey           = "encrypt-datakey"
	OpDecryptDatakey           = "decrypt-datakey"
	OpDescribeKey              = "describe-key"
	OpCreateGrant              = "create-grant"
	OpRetireGrant              = "retire-grant"
	OpEncryptData              = "encrypt-data"
	OpDecryptData              = "decrypt-data"
)

// GrantableOps lists every operation a grant may name.
var GrantableOps = []string{
	OpCreateDatakey, OpCreateDatakeyNoPlaintext, OpEncryptDatakey, OpDecryptDatakey,
	OpDescribeKey, OpCreateGrant, OpRetireGrant, OpEncryptData, OpDecryptData,
}

// Principal types of grants.
const (
	GranteeUser   = "user"
	GranteeDomain = "domain"
)
