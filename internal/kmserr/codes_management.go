package kmserr

// Alias errors. The API reference documents a 50-aliases-per-key limit but
// no code for it (management-api.md §4.1); kmsd answers KMS.1106, a code the
// reference leaves unassigned (docs/key-management.md).
var (
	AliasQuota = def(bad, "KMS.1106", "The key already has the maximum number of aliases.")
)
