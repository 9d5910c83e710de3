package wire

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/service"
)

// Alias actions (management-api.md §4).

// AliasEntity is AliasEntity; create-alias and associate-alias return it at
// the top level.
type AliasEntity struct {
	DomainID   string `json:"domain_id"`
	KeyID      string `json:"key_id"`
	Alias      string `json:"alias"`
	AliasURN   string `json:"alias_urn"`
	CreateTime string `json:"create_time"`
	UpdateTime string `json:"update_time"`
}

// AuditKey implements Keyed: the key the alias points to.
func (a AliasEntity) AuditKey() string { return a.KeyID }

// CreateAliasReq is CreateAliasRequestBody.
type CreateAliasReq struct {
	KeyID string `json:"key_id"`
	Alias string `json:"alias"`
}

// Validate: key_id a key reference (mgmtKeyRef), alias a valid alias name.
func (r *CreateAliasReq) Validate() error {
	if err := mgmtKeyRef("key_id", r.KeyID); err != nil {
		return err
	}
	return service.CheckAliasName(r.Alias)
}

// AuditKey implements Keyed.
func (r *CreateAliasReq) AuditKey() string { return r.KeyID }

// maxDeleteAliases bounds the aliases list of one delete-alias request.
const maxDeleteAliases = 100

// DeleteAliasReq is DeleteAliasRequestBody.
type DeleteAliasReq struct {
	KeyID   string   `json:"key_id"`
	Aliases []string `json:"aliases"`
}

// Validate: key_id a key reference; aliases 1-100 valid alias names
// (KMS.0204 empty, KMS.0308 too many).
func (r *DeleteAliasReq) Validate() error {
	if err := mgmtKeyRef("key_id", r.KeyID); err != nil {
		return err
	}
	if len(r.Aliases) == 0 {
		return kmserr.MissingParameter.Msgf("aliases must list at least one alias.")
	}
	if len(r.Aliases) > maxDeleteAliases {
		return kmserr.InvalidParameter.Msgf("aliases lists at most %d aliases.", maxDeleteAliases)
	}
	for _, a := range r.Aliases {
		if err := service.CheckAliasName(a); err != nil {
			return err
		}
	}
	return nil
}

// AuditKey implements Keyed.
func (r *DeleteAliasReq) AuditKey() string { return r.KeyID }

// AssociateAliasReq is AssociateAliasRequestBody.
type AssociateAliasReq struct {
	Alias       string `json:"alias"`
	TargetKeyID string `json:"target_key_id"`
}

// Validate: alias a valid alias name, target_key_id a key reference.
func (r *AssociateAliasReq) Validate() error {
	if err := service.CheckAliasName(r.Alias); err != nil {
		return err
	}
	return mgmtKeyRef("target_key_id", r.TargetKeyID)
}

// AuditKey implements Keyed.
func (r *AssociateAliasReq) AuditKey() string { return r.TargetKeyID }

// AliasPage is ListAliasResponseBody.
type AliasPage struct {
	Aliases  []AliasEntity `json:"aliases"`
	PageInfo PageInfo      `json:"page_info"`
}

// PageInfo is the page_info of list-aliases.
type PageInfo struct {
	NextMarker   string `json:"next_marker"`
	CurrentCount int    `json:"current_count"`
}

// officialSDKAgent starts the User-Agent of Huawei's official SDKs
// ("huaweicloud-usdk-go/3.0", "huaweicloud-usdk-python/3.0", …).
const officialSDKAgent = "huaweicloud-usdk-"

// AliasListFormatHeader selects list-aliases' response shape (see ListAliasesReq).
const AliasListFormatHeader = "X-Kmsd-Alias-List-Format"

// ListAliasesReq is list-aliases' query: key_id, limit (1-100, default
// 100), marker (the last alias name of the previous page), and the kmsd
// extension format=array|object (or header X-Kmsd-Alias-List-Format)
// choosing the response shape. Without it the shape follows the client:
// the official Huawei SDKs (User-Agent "huaweicloud-usdk-…"), whose
// generated model decodes a top-level array, get the array; every other
// client gets the object the live service returns (what Terraform's
// provider, tested against the cloud, reads).
type ListAliasesReq struct {
	KeyID  string `query:"key_id"`
	Limit  string `query:"limit"`
	Marker string `query:"marker"`
	Format string `query:"format"`

	limit  int
	object bool
}

// FromURL reads the query (and the format header) and validates it.
func (r *ListAliasesReq) FromURL(hr *http.Request) error {
	q := hr.URL.Query()
	r.KeyID, r.Limit, r.Marker, r.Format = q.Get("key_id"), q.Get("limit"), q.Get("marker"), q.Get("format")
	if r.Format == "" {
		r.Format = hr.Header.Get(AliasListFormatHeader)
	}
	if r.Format == "" && !strings.HasPrefix(hr.UserAgent(), officialSDKAgent) {
		r.Format = "object"
	}
	return r.Validate()
}

// Validate: key_id, when given, a key reference; limit 1-100 (KMS.1601);
// marker an alias name (KMS.1602); format array or object (KMS.0308).
func (r *ListAliasesReq) Validate() error {
	if r.KeyID != "" {
		if err := mgmtKeyRef("key_id", r.KeyID); err != nil {
			return err
		}
	}
	var err error
	if r.limit, err = intField(FlexString(r.Limit), service.MaxAliasPage, 1, service.MaxAliasPage, kmserr.InvalidLimit); err != nil {
		return err
	}
	if r.Marker != "" && service.CheckAliasName(r.Marker) != nil {
		return kmserr.InvalidMarker.Msgf("marker must be the alias name that ended the previous page, got %s.", strconv.Quote(r.Marker))
	}
	switch r.Format {
	case "", "array":
	case "object":
		r.object = true
	default:
		return kmserr.InvalidParameter.Msgf("format must be array or object.")
	}
	return nil
}

// PageSize returns limit.
func (r *ListAliasesReq) PageSize() int { return r.limit }

// ObjectForm reports whether the response is the object body (format=object).
func (r *ListAliasesReq) ObjectForm() bool { return r.object }
