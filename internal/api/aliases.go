package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/service"
)

// Alias actions (management-api.md §4).

// aliasEntity is AliasEntity; create-alias and associate-alias return it at
// the top level.
type aliasEntity struct {
	DomainID   string `json:"domain_id"`
	KeyID      string `json:"key_id"`
	Alias      string `json:"alias"`
	AliasURN   string `json:"alias_urn"`
	CreateTime string `json:"create_time"`
	UpdateTime string `json:"update_time"`
}

func toAliasEntity(a domain.Alias, region string) aliasEntity {
	return aliasEntity{DomainID: a.DomainID, KeyID: a.KeyID, Alias: a.Name, AliasURN: service.AliasURN(region, a),
		CreateTime: isoTime(a.CreatedAt), UpdateTime: isoTime(a.UpdatedAt)}
}

// isoTime renders t as ISO-8601 UTC with second precision ("2024-04-01T00:00:00Z").
func isoTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

type createAliasReq struct {
	KeyID string `json:"key_id"`
	Alias string `json:"alias"`
}

func (r *createAliasReq) Validate() error {
	if err := mgmtKeyRef("key_id", r.KeyID); err != nil {
		return err
	}
	return service.CheckAliasName(r.Alias)
}

func (s *Server) createAlias(c *call) (int, any, error) {
	var req createAliasReq
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	c.setKey(req.KeyID)
	a, err := s.Service.CreateAlias(c.ctx, c.caller, req.KeyID, req.Alias)
	if err != nil {
		return 0, nil, err
	}
	c.setKey(a.KeyID)
	return http.StatusCreated, toAliasEntity(a, c.caller.Region), nil
}

// maxDeleteAliases bounds the aliases list of one delete-alias request.
const maxDeleteAliases = 100

type deleteAliasReq struct {
	KeyID   string   `json:"key_id"`
	Aliases []string `json:"aliases"`
}

func (r *deleteAliasReq) Validate() error {
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

func (s *Server) deleteAlias(c *call) (int, any, error) {
	var req deleteAliasReq
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	c.setKey(req.KeyID)
	if err := s.Service.DeleteAliases(c.ctx, c.caller, req.KeyID, req.Aliases); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}

type associateAliasReq struct {
	Alias       string `json:"alias"`
	TargetKeyID string `json:"target_key_id"`
}

func (r *associateAliasReq) Validate() error {
	if err := service.CheckAliasName(r.Alias); err != nil {
		return err
	}
	return mgmtKeyRef("target_key_id", r.TargetKeyID)
}

func (s *Server) associateAlias(c *call) (int, any, error) {
	var req associateAliasReq
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	c.setKey(req.TargetKeyID)
	a, err := s.Service.AssociateAlias(c.ctx, c.caller, req.Alias, req.TargetKeyID)
	if err != nil {
		return 0, nil, err
	}
	c.setKey(a.KeyID)
	return 200, toAliasEntity(a, c.caller.Region), nil
}

// aliasPage is ListAliasResponseBody.
type aliasPage struct {
	Aliases  []aliasEntity `json:"aliases"`
	PageInfo pageInfo      `json:"page_info"`
}

type pageInfo struct {
	NextMarker   string `json:"next_marker"`
	CurrentCount int    `json:"current_count"`
}

func (s *Server) listAliases(c *call) (int, any, error) {
	var req listAliasesReq
	if err := req.fromQuery(c.r); err != nil {
		return 0, nil, err
	}
	as, next, err := s.Service.ListAliases(c.ctx, c.caller, req.KeyID, req.limit, req.Marker)
	if err != nil {
		return 0, nil, err
	}
	page := aliasPage{Aliases: make([]aliasEntity, 0, len(as)), PageInfo: pageInfo{NextMarker: next, CurrentCount: len(as)}}
	for _, a := range as {
		page.Aliases = append(page.Aliases, toAliasEntity(a, c.caller.Region))
	}
	if req.object {
		return 200, page, nil
	}
	return 200, []aliasPage{page}, nil
}

// AliasListFormatHeader selects list-aliases' response shape (see listAliasesReq).
const AliasListFormatHeader = "X-Kmsd-Alias-List-Format"

// listAliasesReq is list-aliases' query: key_id, limit (1-100, default
// 100), marker (the last alias name of the previous page), and the kmsd
// extension format=object (or header X-Kmsd-Alias-List-Format: object)
// selecting the object body the live service returns instead of the array
// body the official Go SDK decodes (the default).
type listAliasesReq struct {
	KeyID  string
	Limit  string
	Marker string
	Format string

	limit  int
	object bool
}

func (r *listAliasesReq) fromQuery(hr *http.Request) error {
	q := hr.URL.Query()
	r.KeyID, r.Limit, r.Marker, r.Format = q.Get("key_id"), q.Get("limit"), q.Get("marker"), q.Get("format")
	if r.Format == "" {
		r.Format = hr.Header.Get(AliasListFormatHeader)
	}
	return r.Validate()
}

func (r *listAliasesReq) Validate() error {
	if r.KeyID != "" {
		if err := mgmtKeyRef("key_id", r.KeyID); err != nil {
			return err
		}
	}
	var err error
	if r.limit, err = intField(flexString(r.Limit), service.MaxAliasPage, 1, service.MaxAliasPage, kmserr.InvalidLimit); err != nil {
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
