package api

import (
	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/service"
)

// Multi-region actions (management-api.md §11).

// pageQuery is the limit/offset query of list-support-regions and
// list-keystores.
type pageQuery struct {
	Limit, Offset      string
	defLimit, maxLimit int
	limit, offset      int
}

// Validate parses limit (0..maxLimit, "" = defLimit; KMS.1601) and offset
// (>= 0, default 0; KMS.1603).
func (q *pageQuery) Validate() (err error) {
	if q.limit, err = intField(flexString(q.Limit), q.defLimit, 0, q.maxLimit, kmserr.InvalidLimit); err != nil {
		return err
	}
	q.offset, err = intField(flexString(q.Offset), 0, 0, 1<<30, kmserr.InvalidOffset)
	return err
}

func queryPage(c *call, def, max int) (pageQuery, error) {
	v := c.r.URL.Query()
	q := pageQuery{Limit: v.Get("limit"), Offset: v.Get("offset"), defLimit: def, maxLimit: max}
	return q, q.Validate()
}

// listSupportRegions: limit 0-100 (default 100; 0 = an empty page), offset >= 0.
func (s *Server) listSupportRegions(c *call) (int, any, error) {
	q, err := queryPage(c, 100, 100)
	if err != nil {
		return 0, nil, err
	}
	rs, err := s.Service.ListRegions(c.ctx, c.caller)
	if err != nil {
		return 0, nil, err
	}
	out := []string{}
	if q.limit > 0 && q.offset < len(rs) {
		out = rs[q.offset:min(len(rs), q.offset+q.limit)]
	}
	return 200, map[string][]string{"regions": out}, nil
}

type replicateReq struct {
	KeyID               string    `json:"key_id"`
	ReplicaRegion       string    `json:"replica_region"`
	KeyAlias            string    `json:"key_alias"`
	KeyDescription      string    `json:"key_description"`
	EnterpriseProjectID string    `json:"enterprise_project_id"`
	ReplicaProjectID    string    `json:"replica_project_id"`
	Tags                []tagItem `json:"tags"`
	Sequence            string    `json:"sequence"`
	path                string    // {key_id}
	tags                []domain.Tag
}

func (r *replicateReq) Validate() error {
	if err := domain.CheckSequence(r.Sequence); err != nil {
		return err
	}
	if err := domain.CheckKeyID(r.KeyID); err != nil {
		return err
	}
	if r.path != "" && r.KeyID != r.path {
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

func (r *replicateReq) checkTags() error {
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
		r.tags = append(r.tags, t.tag())
	}
	return nil
}

func (s *Server) replicateKey(c *call) (int, any, error) {
	req := replicateReq{path: c.r.PathValue("key_id")}
	c.setKey(req.path)
	if err := domain.CheckKeyID(req.path); err != nil {
		return 0, nil, err
	}
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	if n := s.Service.Limits().TagsPerKey; len(req.tags) > n {
		return 0, nil, kmserr.TooManyTags.Msgf("A key has at most %d tags.", n)
	}
	k, err := s.Service.ReplicateKey(c.ctx, c.caller, service.ReplicaInput{
		KeyID: req.KeyID, Region: req.ReplicaRegion, ProjectID: req.ReplicaProjectID,
		Alias: req.KeyAlias, Description: req.KeyDescription,
		EnterpriseProjectID: req.EnterpriseProjectID, Tags: req.tags, Allows: c.identity.AllowsProject,
	})
	if err != nil {
		return 0, nil, err
	}
	return 200, map[string]string{"key_id": k.ID, "domain_id": k.DomainID, "region": req.ReplicaRegion}, nil
}

type primaryRegionReq struct {
	KeyID         string `json:"key_id"`
	PrimaryRegion string `json:"primary_region"`
	Sequence      string `json:"sequence"`
	path          string
}

func (r *primaryRegionReq) Validate() error {
	if err := domain.CheckSequence(r.Sequence); err != nil {
		return err
	}
	if r.KeyID != "" && r.KeyID != r.path {
		return kmserr.InvalidKeyID.Msgf("key_id in the body must equal the key_id of the path.")
	}
	if r.PrimaryRegion == "" {
		return kmserr.MissingParameter.Msgf("primary_region is required.")
	}
	return nil
}

func (s *Server) updatePrimaryRegion(c *call) (int, any, error) {
	req := primaryRegionReq{path: c.r.PathValue("key_id")}
	c.setKey(req.path)
	if err := domain.CheckKeyID(req.path); err != nil {
		return 0, nil, err
	}
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	if _, err := s.Service.UpdatePrimaryRegion(c.ctx, c.caller, req.path, req.PrimaryRegion); err != nil {
		return 0, nil, err
	}
	return 200, map[string]string{"key_id": req.path, "primary_region": req.PrimaryRegion}, nil
}
