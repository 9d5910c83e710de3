package api

import (
	"strconv"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/store"
)

// list-grants and list-retirable-grants (management-api.md §6.2, §6.5).

// Page sizes: list-grants 1-1000 (default 100, Terraform's page size);
// list-retirable-grants 1-1000 (default 1000).
const (
	maxGrantPage        = 1000
	defGrantPage        = 100
	defRetirableGrantPg = 1000
)

// grantOut is the Grant object; every field is a string but operations.
type grantOut struct {
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

type grantsResp struct {
	Grants     []grantOut `json:"grants"`
	NextMarker string     `json:"next_marker"`
	Truncated  string     `json:"truncated"`
	Total      int        `json:"total"`
}

func toGrantsResp(gs []domain.Grant, p store.Page, total int) grantsResp {
	resp := grantsResp{Grants: make([]grantOut, 0, len(gs)), Truncated: "false", Total: total}
	for _, g := range gs {
		resp.Grants = append(resp.Grants, grantOut{KeyID: g.KeyID, GrantID: g.ID, GranteePrincipal: g.GranteePrincipal,
			GranteePrincipalType: g.GranteeType, Operations: g.Operations, IssuingPrincipal: g.IssuingPrincipal,
			CreationDate: millis(g.CreatedAt), Name: g.Name, RetiringPrincipal: g.RetiringPrincipal})
	}
	if end := p.Offset + len(gs); end < total {
		resp.Truncated, resp.NextMarker = "true", strconv.Itoa(end)
	}
	return resp
}

type listGrantsReq struct {
	KeyID    string     `json:"key_id"`
	Limit    flexString `json:"limit"`
	Marker   flexString `json:"marker"`
	Sequence string     `json:"sequence"`

	page store.Page
}

func (r *listGrantsReq) Validate() error {
	if err := (&keyRefSeqReq{KeyID: r.KeyID, Sequence: r.Sequence}).Validate(); err != nil {
		return err
	}
	return grantPage(r.Limit, r.Marker, defGrantPage, &r.page)
}

// grantPage parses limit (KMS.1601) and marker, an offset >= 0 (KMS.1602);
// empty strings mean absent.
func grantPage(limit, marker flexString, def int, p *store.Page) error {
	var err error
	if p.Limit, err = intField(limit, def, 1, maxGrantPage, kmserr.InvalidLimit); err != nil {
		return err
	}
	p.Offset, err = intField(marker, 0, 0, 1<<31-1, kmserr.InvalidMarker)
	return err
}

func (s *Server) listGrants(c *call) (int, any, error) {
	var req listGrantsReq
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	c.setKey(req.KeyID)
	gs, total, err := s.Service.ListGrants(c.ctx, c.caller, req.KeyID, req.page)
	if err != nil {
		return 0, nil, err
	}
	return 200, toGrantsResp(gs, req.page, total), nil
}

type listRetirableReq struct {
	Limit    flexString `json:"limit"`
	Marker   flexString `json:"marker"`
	Sequence string     `json:"sequence"`

	page store.Page
}

func (r *listRetirableReq) Validate() error {
	if err := domain.CheckSequence(r.Sequence); err != nil {
		return err
	}
	return grantPage(r.Limit, r.Marker, defRetirableGrantPg, &r.page)
}

func (s *Server) listRetirableGrants(c *call) (int, any, error) {
	var req listRetirableReq
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	gs, total, err := s.Service.ListRetirableGrants(c.ctx, c.caller, req.page)
	if err != nil {
		return 0, nil, err
	}
	return 200, toGrantsResp(gs, req.page, total), nil
}
