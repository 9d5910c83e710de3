package wire

import (
	"regexp"
	"slices"
	"strconv"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/op"
	"github.com/kmsd/kmsd/internal/store"
)

// Grant actions (management-api.md §6).

var (
	principalRe = regexp.MustCompile(`^[a-zA-Z0-9]{1,64}$`)
	grantNameRe = regexp.MustCompile(`^[a-zA-Z0-9:/_-]{1,255}$`)
	grantIDRe   = regexp.MustCompile(`^[A-Fa-f0-9]{64}$`)
)

// CreateGrantReq is CreateGrantRequestBody.
type CreateGrantReq struct {
	KeyID                string   `json:"key_id"`
	GranteePrincipal     string   `json:"grantee_principal"`
	Operations           []string `json:"operations"`
	Name                 *string  `json:"name"`
	RetiringPrincipal    *string  `json:"retiring_principal"`
	GranteePrincipalType string   `json:"grantee_principal_type"`
	Sequence             string   `json:"sequence"`
}

// Validate: KeyRefSeqReq's rules; the principals (checkPrincipal); name
// (KMS.0308); grantee_principal_type user or domain (KMS.0308); operations
// (checkOperations).
func (r *CreateGrantReq) Validate() error {
	if err := (&KeyRefSeqReq{KeyID: r.KeyID, Sequence: r.Sequence}).Validate(); err != nil {
		return err
	}
	if err := checkPrincipal("grantee_principal", r.GranteePrincipal, true); err != nil {
		return err
	}
	if r.RetiringPrincipal != nil {
		if err := checkPrincipal("retiring_principal", *r.RetiringPrincipal, false); err != nil {
			return err
		}
	}
	if r.Name != nil && !grantNameRe.MatchString(*r.Name) {
		return kmserr.InvalidParameter.Msgf("name must match %s.", grantNameRe)
	}
	switch r.GranteePrincipalType {
	case "", domain.GranteeUser, domain.GranteeDomain:
	default:
		return kmserr.InvalidParameter.Msgf("grantee_principal_type must be user or domain.")
	}
	return checkOperations(r.Operations)
}

// AuditKey implements Keyed.
func (r *CreateGrantReq) AuditKey() string { return r.KeyID }

// checkPrincipal validates a principal id: 1-64 alphanumerics (KMS.2402);
// a required one that is empty answers KMS.0204.
func checkPrincipal(field, p string, required bool) error {
	if p == "" && required {
		return kmserr.MissingParameter.Msgf("%s is required.", field)
	}
	if !principalRe.MatchString(p) {
		return kmserr.InvalidPrincipal.Msgf("%s must be 1-64 letters and digits.", field)
	}
	return nil
}

// checkOperations: a non-empty list of grantable operations (KMS.0308 for
// an unknown one), not only create-grant (KMS.2401).
func checkOperations(ops []string) error {
	if len(ops) == 0 {
		return kmserr.MissingParameter.Msgf("operations must list at least one operation.")
	}
	for _, name := range ops {
		if !slices.Contains(domain.GrantableOps, name) {
			return kmserr.InvalidParameter.Msgf("%s is not a grantable operation.", strconv.Quote(name))
		}
	}
	if !slices.ContainsFunc(ops, func(name string) bool { return name != string(op.CreateGrant) }) {
		return kmserr.GrantOnlyCreate
	}
	return nil
}

// CreateGrantResp is CreateGrantResponse.
type CreateGrantResp struct {
	GrantID string `json:"grant_id"`
}

// GrantReq is the body of revoke-grant and retire-grant.
type GrantReq struct {
	KeyID    string `json:"key_id"`
	GrantID  string `json:"grant_id"`
	Sequence string `json:"sequence"`
}

// Validate: KeyRefSeqReq's rules; grant_id required (KMS.0204), 64 hex
// digits (KMS.2501 otherwise).
func (r *GrantReq) Validate() error {
	if err := (&KeyRefSeqReq{KeyID: r.KeyID, Sequence: r.Sequence}).Validate(); err != nil {
		return err
	}
	if r.GrantID == "" {
		return kmserr.MissingParameter.Msgf("grant_id is required.")
	}
	if !grantIDRe.MatchString(r.GrantID) {
		return kmserr.GrantNotFound.Msgf("grant_id must be 64 hexadecimal digits.")
	}
	return nil
}

// AuditKey implements Keyed.
func (r *GrantReq) AuditKey() string { return r.KeyID }

// Page sizes: list-grants 1-1000 (default 100, Terraform's page size);
// list-retirable-grants 1-1000 (default 1000).
const (
	maxGrantPage        = 1000
	defGrantPage        = 100
	defRetirableGrantPg = 1000
)

// Grant is the Grant object; every field is a string but operations.
type Grant struct {
	KeyID                string   `json:"key_id"`
	GrantID              string   `json:"grant_id"`
	GranteePrincipal     string   `json:"grantee_principal"`
	GranteePrincipalType string   `json:"grantee_principal_type"`
	Operations           []string `json:"operations"`
	IssuingPrincipal     string   `json:"issuing_principal"`
	CreationDate         string   `json:"creation_date"`
	Name                 string   `json:"name"`
	RetiringPrincipal    string   `json:"retiring_principal"`
}

// GrantsResp is ListGrantsResponse / ListRetirableGrantsResponse.
type GrantsResp struct {
	Grants     []Grant `json:"grants"`
	NextMarker string  `json:"next_marker"`
	Truncated  string  `json:"truncated"`
	Total      int     `json:"total"`
}

// ListGrantsReq is ListGrantsRequestBody.
type ListGrantsReq struct {
	KeyID    string     `json:"key_id"`
	Limit    FlexString `json:"limit"`
	Marker   FlexString `json:"marker"`
	Sequence string     `json:"sequence"`

	page store.Page
}

// Validate: KeyRefSeqReq's rules; limit and marker (grantPage, default 100).
func (r *ListGrantsReq) Validate() error {
	if err := (&KeyRefSeqReq{KeyID: r.KeyID, Sequence: r.Sequence}).Validate(); err != nil {
		return err
	}
	return grantPage(r.Limit, r.Marker, defGrantPage, &r.page)
}

// AuditKey implements Keyed.
func (r *ListGrantsReq) AuditKey() string { return r.KeyID }

// Page returns the page asked for.
func (r *ListGrantsReq) Page() store.Page { return r.page }

// grantPage parses limit (KMS.1601) and marker, an offset >= 0 (KMS.1602);
// empty strings mean absent.
func grantPage(limit, marker FlexString, def int, p *store.Page) error {
	var err error
	if p.Limit, err = intField(limit, def, 1, maxGrantPage, kmserr.InvalidLimit); err != nil {
		return err
	}
	p.Offset, err = intField(marker, 0, 0, 1<<31-1, kmserr.InvalidMarker)
	return err
}

// ListRetirableReq is ListRetirableGrantsRequestBody.
type ListRetirableReq struct {
	Limit    FlexString `json:"limit"`
	Marker   FlexString `json:"marker"`
	Sequence string     `json:"sequence"`

	page store.Page
}

// Validate: sequence (KMS.0206); limit and marker (grantPage, default 1000).
func (r *ListRetirableReq) Validate() error {
	if err := domain.CheckSequence(r.Sequence); err != nil {
		return err
	}
	return grantPage(r.Limit, r.Marker, defRetirableGrantPg, &r.page)
}

// Page returns the page asked for.
func (r *ListRetirableReq) Page() store.Page { return r.page }
