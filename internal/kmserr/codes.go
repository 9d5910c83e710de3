package kmserr

import "net/http"

const (
	bad       = http.StatusBadRequest
	forbidden = http.StatusForbidden
)

// Request and generic errors (management-api.md §12.1).
var (
	Internal         = def(http.StatusInternalServerError, "KMS.0101", "Internal error.")
	Unavailable      = def(http.StatusServiceUnavailable, "KMS.0104", "Service unavailable.")
	InvalidURL       = def(bad, "KMS.0201", "The request URL is invalid.")
	InvalidJSON      = def(bad, "KMS.0202", "The request body is not valid JSON.")
	BodyTooLong      = def(bad, "KMS.0203", "The request body is too long.")
	MissingParameter = def(bad, "KMS.0204", "A required parameter is missing.")
	InvalidKeyID     = def(bad, "KMS.0205", "Invalid key_id.")
	InvalidSequence  = def(bad, "KMS.0206", "Invalid sequence.")
	KeyNotFound      = def(http.StatusNotFound, "KMS.0207", "The key does not exist.")
	InvalidContext   = def(bad, "KMS.0208", "Invalid encryption_context.")
	KeyDisabled      = def(bad, "KMS.0209", "The key is disabled.")
	KeyPendingDelete = def(bad, "KMS.0210", "The key is pending deletion.")
	DefaultKey       = def(bad, "KMS.0211", "The operation is not allowed on a default key.")
	InvalidFormat    = def(bad, "KMS.0214", "Invalid request format.")
	MethodNotAllowed = def(http.StatusMethodNotAllowed, "KMS.0215", "The HTTP method is not supported.")
)

// Throttled is Huawei's API gateway answer to a throttled request
// (APIGW.0308, HTTP 429); kmsd gives it when a node's bound on concurrent
// expensive operations (RSA key generation, password hashing) is reached.
var Throttled = def(http.StatusTooManyRequests, "APIGW.0308",
	"The throttling threshold has been reached: too many expensive operations (RSA key generation, password hashing) are in progress; retry shortly.")

// AccountLocked answers a password login while the user is locked out after
// too many wrong passwords. Huawei IAM answers 401 with the Keystone body
// {"error":{"code":401,"message":"The account is locked.","title":"Unauthorized"}}
// (IAM FAQ "Why Is My Account Locked?"); kmsd's body has those fields and
// its usual error_code and error_msg.
var AccountLocked = &Error{Status: http.StatusUnauthorized, Code: "APIGW.0301",
	Msg: "The account is locked.", Title: "Unauthorized"}

// Authentication and permission errors (management-api.md §12.2). A
// missing or bad AK/SK signature is answered by Huawei's API gateway,
// APIGW.0301 with the gateway's flat body (see Error.Gateway); token
// problems by KMS itself, KMS.0301-0303 (403), as its error table lists.
var (
	Unauthenticated   = def(http.StatusUnauthorized, "APIGW.0301", "Incorrect IAM authentication information.")
	TokenMalformed    = def(forbidden, "KMS.0301", "X-Auth-Token is null or malformed.")
	TokenInvalid      = def(forbidden, "KMS.0302", "X-Auth-Token is invalid.")
	TokenExpired      = def(forbidden, "KMS.0303", "X-Auth-Token has expired.")
	NoKeyPermission   = def(forbidden, "KMS.0306", "The user has no permission on the key.")
	InvalidParameter  = def(bad, "KMS.0308", "Invalid parameter.")
	NotExternal       = def(bad, "KMS.0309", "The key is not an external key.")
	NotPendingImport  = def(bad, "KMS.0310", "The key is not pending import.")
	RSADecryptFailed  = def(bad, "KMS.0311", "RSA private key decryption failed.")
	ExternalRotation  = def(bad, "KMS.0312", "External keys cannot be rotated.")
	RotationDisabled  = def(bad, "KMS.0313", "Key rotation is not enabled.")
	ProjectMismatch   = def(forbidden, "KMS.0321", "The project in the URL does not match the credential.")
	RSARotation       = def(bad, "KMS.0324", "RSA keys cannot be rotated.")
	AsymmetricUnsupp  = def(bad, "KMS.0325", "The operation is not supported for asymmetric keys.")
	NoAccess          = def(forbidden, "KMS.0326", "No access permission.")
	DigestLength      = def(bad, "KMS.0329", "The hash algorithm does not match the digest length.")
	SymmetricUnsupp   = def(bad, "KMS.0331", "The operation is not supported for symmetric keys.")
	AlgorithmUnsupp   = def(bad, "KMS.0332", "The key does not support this algorithm.")
	EncryptDecryptKey = def(bad, "KMS.0334", "The key is an ENCRYPT_DECRYPT key.")
	SignVerifyKey     = def(bad, "KMS.0335", "The key is a SIGN_VERIFY key.")
	HMACUnsupp        = def(bad, "KMS.0341", "HMAC keys do not support this operation.")
)

// Operation-specific errors (management-api.md §12.4).
var (
	InvalidAlias        = def(bad, "KMS.1101", "Invalid key_alias.")
	InvalidRealm        = def(bad, "KMS.1102", "Invalid realm.")
	InvalidDescription  = def(bad, "KMS.1103", "Invalid key_description.")
	AliasExists         = def(bad, "KMS.1104", "The alias already exists.")
	KeyQuota            = def(bad, "KMS.1105", "The key quota has been reached.")
	InvalidKeySpec      = def(bad, "KMS.1110", "Invalid key_spec.")
	ECCannotEncrypt     = def(bad, "KMS.1114", "EC keys cannot encrypt or decrypt.")
	SymmetricCannotSign = def(bad, "KMS.1115", "Symmetric keys cannot sign or verify.")
	KeyNotDisabled      = def(bad, "KMS.1201", "The key is not disabled.")
	KeyNotEnabled       = def(bad, "KMS.1301", "The key is not enabled.")
	InvalidPendingDays  = def(bad, "KMS.1401", "pending_days must be an integer from 7 to 1096.")
	AlreadyPendingDel   = def(bad, "KMS.1402", "The key is already pending deletion.")
	NotPendingDeletion  = def(bad, "KMS.1501", "The key is not pending deletion.")
	InvalidLimit        = def(bad, "KMS.1601", "Invalid limit.")
	InvalidMarker       = def(bad, "KMS.1602", "Invalid marker: it must be an integer >= 0.")
	InvalidOffset       = def(bad, "KMS.1603", "Invalid offset.")
)
