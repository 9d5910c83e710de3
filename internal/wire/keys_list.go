package wire

import (
	"regexp"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/marker"
	"github.com/kmsd/kmsd/internal/service"
)

// list-keys (management-api.md §3.3).

// ListKeysReq is ListKeysRequestBody.
type ListKeysReq struct {
	Limit               FlexString `json:"limit"`
	Marker              FlexString `json:"marker"`
	KeyState            string     `json:"key_state"`
	KeySpec             string     `json:"key_spec"`
	EnterpriseProjectID string     `json:"enterprise_project_id"`
	Sequence            string     `json:"sequence"`

	query service.KeyQuery
}

var keyStateRe = regexp.MustCompile(`^[1-5]$`)

// Validate: sequence (KMS.0206); limit 1-MaxListKeys (KMS.1601, default
// the maximum); marker a next_marker kmsd issued or an offset >= 0
// (KMS.1602, see package marker); key_state 1-5 (KMS.0308); key_spec (see
// spec).
func (r *ListKeysReq) Validate() error {
	if err := domain.CheckSequence(r.Sequence); err != nil {
		return err
	}
	var err error
	if r.query.Limit, err = intField(r.Limit, service.MaxListKeys, 1, service.MaxListKeys, kmserr.InvalidLimit); err != nil {
		return err
	}
	pos, ok := marker.Parse(string(r.Marker), 1<<31-1)
	if !ok {
		return kmserr.InvalidMarker.Msgf("%s Got %q; expected a next_marker or an integer from 0.", kmserr.InvalidMarker.Msg, string(r.Marker))
	}
	r.query.After, r.query.Offset = pos.After, pos.Offset
	if r.KeyState != "" && !keyStateRe.MatchString(r.KeyState) {
		return kmserr.InvalidParameter.Msgf("key_state must match ^[1-5]$.")
	}
	r.query.State = domain.KeyState(r.KeyState)
	return r.spec()
}

// spec applies list-keys' key_spec filter: absent means AES_256 (as the
// API reference documents), "ALL" means every spec.
func (r *ListKeysReq) spec() error {
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

// Query returns the service's query.
func (r *ListKeysReq) Query() service.KeyQuery { return r.query }

// ListKeysResp is ListKeysResponse.
type ListKeysResp struct {
	Keys       []string     `json:"keys"`
	KeyDetails []KeyDetails `json:"key_details"`
	NextMarker string       `json:"next_marker"`
	Truncated  string       `json:"truncated"`
	Total      int          `json:"total"`
}
