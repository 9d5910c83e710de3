package domain

import "github.com/kmsd/kmsd/internal/op"

// GrantableOps lists every operation a grant may name (the catalogue's
// Grantable operations, management-api.md §6); the grantee may call
// exactly the listed actions on the key.
var GrantableOps = op.GrantableNames()

// Principal types of grants.
const (
	GranteeUser   = "user"
	GranteeDomain = "domain"
)
