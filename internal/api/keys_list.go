package api

import (
	"regexp"
	"strconv"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/service"
)

type listKeysReq struct {
	Limit               flexString `json:"limit"`
	Marker              flexString `json:"marker"`
	KeyState            string     `json:"key_state"`
	KeySpec             string     `json:"key_spec"`
	EnterpriseProjectID string     `json:"enterprise_project_id"`
	Sequence            string     `json:"sequence"`

	query service.KeyQuery
}

var keyStateRe = regexp.MustCompile(`^[1-5]$`)

func (r *listKeysReq) Validate() error {
	if err := domain.CheckSequence(r.Sequence); err != nil {
		return err
	}
	var err error
	if r.query.Limit, err = intField(r.Limit, service.MaxListKeys, 1, service.MaxListKeys, kmserr.InvalidLimit); err != nil {
		return err
	}
	if r.query.Offset, err = intField(r.Marker, 0, 0, 1<<31-1, kmserr.InvalidMarker); err != nil {
		return err
	}
	if r.KeyState != "" && !keyStateRe.MatchString(r.KeyState) {
		return kmserr.InvalidParameter.Msgf("key_state must match ^[1-5]$.")
	}
	r.query.State = domain.KeyState(r.KeyState)
	return r.spec()
}

// spec applies list-keys' key_spec filter: absent means AES_256 (as the
// API reference documents), "ALL" means every spec.
func (r *listKeysReq) spec() error {
	switch {
	case r.KeySpec == "":
		r.query.Spec = domain.SpecAES256
	case r.KeySpec == "ALL":
	case domain.KeySpec(r.KeySpec).Valid():
		r.query.Spec = domain.KeySpec(r.KeySpec)
	default:
		return kmserr.InvalidKeySpec.Msgf("Unsupported key_spec filter %q.", r.KeySpec)
	}
	return nil
}

type listKeysResp struct {
	Keys       []string     `json:"keys"`
	KeyDetails []keyDetails `json:"key_details"`
	NextMarker string       `json:"next_marker"`
	Truncated  string       `json:"truncated"`
	Total      int          `json:"total"`
}

func (s *Server) listKeys(c *call) (int, any, error) {
	var req listKeysReq
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	keys, total, err := s.Service.ListKeys(c.ctx, c.caller, req.query)
	if err != nil {
		return 0, nil, err
	}
	resp := listKeysResp{Keys: []string{}, KeyDetails: []keyDetails{}, Truncated: "false", Total: total}
	for _, k := range keys {
		resp.Keys = append(resp.Keys, k.ID)
		resp.KeyDetails = append(resp.KeyDetails, toKeyDetails(k, c.caller.Region))
	}
	if end := req.query.Offset + len(keys); end < total {
		resp.Truncated, resp.NextMarker = "true", strconv.Itoa(end)
	}
	return 200, resp, nil
}
