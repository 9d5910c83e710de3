package wire

import (
	"net/http"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
)

// Multi-region actions (management-api.md §11).

// PageQuery is the limit/offset query of list-support-regions and
// list-keystores; each has its own bounds.
type PageQuery struct {
	Limit  string `query:"limit"`
	Offset string `query:"offset"`

	limit, offset int
}

// fromURL reads limit and offset.
func (q *PageQuery) fromURL(r *http.Request) {
	v := r.URL.Query()
	q.Limit, q.Offset = v.Get("limit"), v.Get("offset")
}

// validate parses limit (0..max, "" = def; KMS.1601) and offset (>= 0,
// default 0; KMS.1603).
func (q *PageQuery) validate(def, max int) (err error) {
	if q.limit, err = intField(FlexString(q.Limit), def, 0, max, kmserr.InvalidLimit); err != nil {
		return err
	}
	q.offset, err = intField(FlexString(q.Offset), 0, 0, 1<<30, kmserr.InvalidOffset)
	return err
}

// Window returns the offset and limit asked for.
func (q *PageQuery) Window() (offset, limit int) { return q.offset, q.limit }

// ListRegionsReq is list-support-regions' query: limit 0-100 (default 100;
// 0 = an empty page), offset >= 0.
type ListRegionsReq struct{ PageQuery }

// FromURL reads the query and validates it.
func (r *ListRegionsReq) FromURL(hr *http.Request) error {
	r.fromURL(hr)
	return r.Validate()
}

// Validate checks the PageQuery bounds.
func (r *ListRegionsReq) Validate() error { return r.validate(100, 100) }

// RegionsResp is ListSupportRegionsResponse.
type RegionsResp struct {
	Regions []string `json:"regions"`
}

// ReplicateReq is replicate-key's request: the path's {key_id} and
// ReplicateKeyRequestBody, whose key_id must equal it.
type ReplicateReq struct {
	KeyID               string    `json:"key_id"`
	ReplicaRegion       string    `json:"replica_region"`
	KeyAlias            string    `json:"key_alias"`
	KeyDescription      string    `json:"key_description"`
	EnterpriseProjectID string    `json:"enterprise_project_id"`
	ReplicaProjectID    string    `json:"replica_project_id"`
	Tags                []TagItem `json:"tags"`
	Sequence            string    `json:"sequence"`
	PathKeyID           string    `json:"-" path:"key_id"`
	tags                []domain.Tag
}

// FromURL reads {key_id} and checks it is a key id (KMS.0204/0205).
func (r *ReplicateReq) FromURL(hr *http.Request) error {
	r.PathKeyID = hr.PathValue("key_id")
	return domain.CheckKeyID(r.PathKeyID)
}

// AuditKey implements Keyed.
func (r *ReplicateReq) AuditKey() string { return r.PathKeyID }

// Validate: sequence (KMS.0206); key_id a key id equal to the path's
// (KMS.0205); replica_region and replica_project_id required (KMS.0204);
// key_alias and key_description valid; tags valid, no key twice (KMS.0414).
func (r *ReplicateReq) Validate() error {
	if err := domain.CheckSequence(r.Sequence); err != nil {
		return err
	}
	if err := domain.CheckKeyID(r.KeyID); err != nil {
		return err
	}
	if r.PathKeyID != "" && r.KeyID != r.PathKeyID {
		return kmserr.InvalidKeyID.Msgf("key_id in the body must equal the key_id of the path.")
	}
	if r.ReplicaRegion == "" || r.ReplicaProjectID == "" {
		return kmserr.MissingParameter.Msgf("replica_region and replica_project_id are required.")
	}
	if err := domain.CheckKeyAlias(r.KeyAlias); err != nil {
		return err
	}
	if err := domain.CheckDescription(r.KeyDescription); err != nil {
		return err
	}
	return r.checkTags()
}

func (r *ReplicateReq) checkTags() error {
	seen := map[string]bool{}
	r.tags = r.tags[:0]
	for _, t := range r.Tags {
		if err := t.Validate(); err != nil {
			return err
		}
		if seen[t.Key] {
			return kmserr.InvalidTags.Msgf("Tag key %q appears twice.", t.Key)
		}
		seen[t.Key] = true
		r.tags = append(r.tags, t.Tag())
	}
	return nil
}

// DomainTags returns the tags.
func (r *ReplicateReq) DomainTags() []domain.Tag { return r.tags }

// ReplicateResp is ReplicateKeyResponse.
type ReplicateResp struct {
	DomainID string `json:"domain_id"`
	KeyID    string `json:"key_id"`
	Region   string `json:"region"`
}

// PrimaryRegionReq is update-primary-region's request: the path's {key_id}
// and UpdatePrimaryRegionRequestBody, whose key_id, if given, must equal it.
type PrimaryRegionReq struct {
	KeyID         string `json:"key_id"`
	PrimaryRegion string `json:"primary_region"`
	Sequence      string `json:"sequence"`
	PathKeyID     string `json:"-" path:"key_id"`
}

// FromURL reads {key_id} and checks it is a key id (KMS.0204/0205).
func (r *PrimaryRegionReq) FromURL(hr *http.Request) error {
	r.PathKeyID = hr.PathValue("key_id")
	return domain.CheckKeyID(r.PathKeyID)
}

// AuditKey implements Keyed.
func (r *PrimaryRegionReq) AuditKey() string { return r.PathKeyID }

// Validate: sequence (KMS.0206); key_id empty or the path's (KMS.0205);
// primary_region required (KMS.0204).
func (r *PrimaryRegionReq) Validate() error {
	if err := domain.CheckSequence(r.Sequence); err != nil {
		return err
	}
	if r.KeyID != "" && r.KeyID != r.PathKeyID {
		return kmserr.InvalidKeyID.Msgf("key_id in the body must equal the key_id of the path.")
	}
	if r.PrimaryRegion == "" {
		return kmserr.MissingParameter.Msgf("primary_region is required.")
	}
	return nil
}

// PrimaryRegionResp is UpdatePrimaryRegionResponse.
type PrimaryRegionResp struct {
	KeyID         string `json:"key_id"`
	PrimaryRegion string `json:"primary_region"`
}
