package kmserr

import "net/http"

// Errors of the IAM API, in Huawei IAM's Keystone shape (the body carries
// error_code and error_msg, and error.code, error.title, error.message).
// The numeric codes (1101, 1103, 1107, 1109, 1115, 1118) and IAM.0007 are
// those of Huawei IAM's error code table; the others are kmsd's choice
// where no Huawei page says (docs/iam.md).
var (
	IAMInvalid        = iamErr(http.StatusBadRequest, "IAM.0007", "Bad Request", "Request parameter is invalid.")
	IAMInvalidName    = iamErr(http.StatusBadRequest, "1101", "Bad Request", "Invalid username.")
	IAMWrongPassword  = iamErr(http.StatusBadRequest, "1103", "Bad Request", "Incorrect password.")
	IAMLastAdmin      = iamErr(http.StatusBadRequest, "1107", "Bad Request", "The account administrator cannot be deleted.")
	IAMUserExists     = iamErr(http.StatusBadRequest, "1109", "Bad Request", "The username already exists.")
	IAMUserQuota      = iamErr(http.StatusBadRequest, "1115", "Bad Request", "The number of IAM users has reached the maximum allowed limit.")
	IAMWeakPassword   = iamErr(http.StatusBadRequest, "1118", "Bad Request", "The password is too weak.")
	IAMForbidden      = iamErr(http.StatusForbidden, "IAM.0002", "Forbidden", "You are not authorized to perform the requested action.")
	IAMNotFound       = iamErr(http.StatusNotFound, "IAM.0004", "Not Found", "Could not find the resource.")
	IAMConflict       = iamErr(http.StatusConflict, "IAM.0005", "Conflict", "The resource already exists.")
	IAMQuota          = iamErr(http.StatusConflict, "IAM.0006", "Conflict", "The quota has been reached.")
	IAMProtectedGroup = iamErr(http.StatusBadRequest, "IAM.0008", "Bad Request", "The admin group cannot be deleted.")
)

func iamErr(status int, code, title, msg string) *Error {
	return &Error{Status: status, Code: code, Msg: msg, Title: title}
}
