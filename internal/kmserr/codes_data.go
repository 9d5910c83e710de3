package kmserr

// Data-plane errors (crypto-api.md §4).
var (
	RandomLength      = def(bad, "KMS.1801", "Invalid random_data_length.")
	RandomNotMultiple = def(bad, "KMS.1802", "random_data_length must be a multiple of 8.")
	DatakeyLength     = def(bad, "KMS.1901", "datakey_length must be 8-8192 bits.")
	// DatakeyLengthNoPlain is create-datakey-without-plaintext's answer to
	// a bad datakey_length, as Huawei's error table gives it.
	DatakeyLengthNoPlain = def(bad, "KMS.2001", "Invalid datakey_length.")
	DatakeySpec          = def(bad, "KMS.1902", "Invalid key_spec for the data key.")
	DatakeyNotMultiple   = def(bad, "KMS.1903", "datakey_length must be a multiple of 8.")
	DatakeyPlainText     = def(bad, "KMS.2101", "Invalid plain_text.")
	DatakeyPlainLength   = def(bad, "KMS.2102", "Invalid datakey_plain_length.")
	DatakeyHashMismatch  = def(bad, "KMS.2103", "The data key digest does not match.")
	DatakeyLengthMatch   = def(bad, "KMS.2104", "plain_text length does not match datakey_plain_length.")
	SymmetricAlgorithm   = def(bad, "KMS.2105", "Invalid encryption_algorithm for a symmetric key.")
	AsymmetricAlgorithm  = def(bad, "KMS.2106", "Invalid encryption_algorithm for this key.")
	PlaintextTooLong     = def(bad, "KMS.2108", "plain_text is too long for this key.")
	// SealLimit is kmsd's own code (the reference has none): the key
	// version has sealed the most messages AES-GCM allows with random
	// nonces and could not be rotated (docs/ciphertext.md §3.1).
	SealLimit           = def(bad, "KMS.2109", "The key version has reached its encryption limit.")
	InvalidCiphertext   = def(bad, "KMS.2201", "Invalid cipher_text.")
	DatakeyCipherLength = def(bad, "KMS.2202", "Invalid datakey_cipher_length.")
	DatakeyDigest       = def(bad, "KMS.2203", "The data key digest check failed.")
	DatakeyCipherMatch  = def(bad, "KMS.2204", "cipher_text does not match datakey_cipher_length.")
	ImportTokenExpired  = def(bad, "KMS.2601", "The import token has expired.")
	ImportExpiry        = def(bad, "KMS.2602", "expiration_time must be in the future.")
	ImportTokenKey      = def(bad, "KMS.2603", "The import token does not belong to this key.")
	ImportMaterialLen   = def(bad, "KMS.2604", "Invalid key material length.")
	ImportTokenInvalid  = def(bad, "KMS.2605", "The import token is invalid.")
	ImportDifferent     = def(bad, "KMS.2606", "Only the same key material can be re-imported.")
	ImportPrivateKey    = def(bad, "KMS.2608", "The private key is missing.")
	ImportPrivateKeyBad = def(bad, "KMS.2609", "The private key is invalid.")
	ImportTempKeyLen    = def(bad, "KMS.2610", "The temporary key must be 16 or 32 bytes.")
	MaterialState       = def(bad, "KMS.2701", "The key must be enabled or disabled.")
	AsymmetricMaterial  = def(bad, "KMS.2702", "Imported asymmetric key material cannot be deleted.")
)

// Tag errors (management-api.md §12.3).
var (
	TagListEmpty     = def(bad, "KMS.0401", "The tag list is empty.")
	InvalidMatchVal  = def(bad, "KMS.0402", "Invalid value in matches.")
	InvalidMatchKey  = def(bad, "KMS.0403", "Invalid key in matches.")
	InvalidAction    = def(bad, "KMS.0404", "Invalid action.")
	InvalidTagValue  = def(bad, "KMS.0405", "Invalid tag value.")
	InvalidTagKey    = def(bad, "KMS.0406", "Invalid tag key.")
	InvalidTagList   = def(bad, "KMS.0407", "Invalid tag list size.")
	InvalidResource  = def(bad, "KMS.0408", "Invalid resource type.")
	TooManyTags      = def(bad, "KMS.0409", "Too many tags.")
	TagValueLength   = def(bad, "KMS.0410", "Invalid tag value length.")
	TagKeyLength     = def(bad, "KMS.0411", "Invalid tag key length.")
	InvalidTagKeys   = def(bad, "KMS.0412", "Invalid tag key list.")
	TooManyValues    = def(bad, "KMS.0413", "Too many values for a tag key.")
	InvalidTags      = def(bad, "KMS.0414", "Invalid tags.")
	InvalidMatches   = def(bad, "KMS.0415", "Invalid matches.")
	TagNotFound      = def(404, "KMS.0416", "The tag does not exist.")
	OffsetRange      = def(bad, "KMS.0417", "offset must be >= 0.")
	OffsetNotAllowed = def(bad, "KMS.0418", "offset is not allowed for the count action.")
)

// Rotation and grant errors (management-api.md §12.4).
var (
	GrantOnlyCreate  = def(bad, "KMS.2401", "operations cannot contain only create-grant.")
	InvalidPrincipal = def(bad, "KMS.2402", "Invalid grantee or retiring principal.")
	GrantFailed      = def(bad, "KMS.2403", "Failed to create the grant.")
	GrantsPerKey     = def(bad, "KMS.2404", "Too many grants on the key.")
	GrantsPerPrinc   = def(bad, "KMS.2405", "Too many grants for the principal.")
	GrantNotFound    = def(bad, "KMS.2501", "The grant does not exist.")
	GrantKeyMismatch = def(bad, "KMS.2502", "The grant does not belong to the key.")
	RotationEnabled  = def(bad, "KMS.2901", "Key rotation is already enabled.")
	RotationInterval = def(bad, "KMS.3001", "rotation_interval must be 30-365 days.")
)
