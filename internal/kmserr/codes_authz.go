package kmserr

import "net/http"

// NoRolePermission refuses a KMS call that no IAM policy of the caller
// allows, or that one denies: Huawei KMS's 403 KMS.0307.
var NoRolePermission = def(http.StatusForbidden, "KMS.0307", "The role is not allowed to call this API.")
