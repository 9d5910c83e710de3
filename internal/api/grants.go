package api

import (
	"context"
	"regexp"
	"slices"
	"strconv"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/op"
	"github.com/kmsd/kmsd/internal/service"
)

// Grant actions (management-api.md §6).

var (
	principalRe = regexp.MustCompile(`^[a-zA-Z0-9]{1,64}$`)
	grantNameRe = regexp.MustCompile(`^[a-zA-Z0-9:/_-]{1,255}$`)
	grantIDRe   = regexp.MustCompile(`^[A-Fa-f0-9]{64}$`)
)

type createGrantReq struct {
	KeyID                string   `json:"key_id"`
	GranteePrincipal     string   `json:"grantee_principal"`
	Operations           []string `json:"operations"`
	Name                 *string  `json:"name"`
	RetiringPrincipal    *string  `json:"retiring_principal"`
	GranteePrincipalType string   `json:"grantee_principal_type"`
	Sequence             string   `json:"sequence"`
}

func (r *createGrantReq) Validate() error {
	if err := (&keyRefSeqReq{KeyID: r.KeyID, Sequence: r.Sequence}).Validate(); err != nil {
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

func (s *Server) createGrant(c *call) (int, any, error) {
	var req createGrantReq
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	c.setKey(req.KeyID)
	id, err := s.Service.CreateGrant(c.ctx, c.caller, service.NewGrant{
		KeyRef: req.KeyID, Grantee: req.GranteePrincipal, GranteeType: req.GranteePrincipalType,
		Operations: req.Operations, Name: deref(req.Name), RetiringPrincipal: deref(req.RetiringPrincipal),
	})
	if err != nil {
		return 0, nil, err
	}
	return 200, map[string]string{"grant_id": id}, nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

type grantReq struct {
	KeyID    string `json:"key_id"`
	GrantID  string `json:"grant_id"`
	Sequence string `json:"sequence"`
}

func (r *grantReq) Validate() error {
	if err := (&keyRefSeqReq{KeyID: r.KeyID, Sequence: r.Sequence}).Validate(); err != nil {
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

func (s *Server) revokeGrant(c *call) (int, any, error) {
	return s.grantAction(c, s.Service.RevokeGrant)
}

func (s *Server) retireGrant(c *call) (int, any, error) {
	return s.grantAction(c, s.Service.RetireGrant)
}

func (s *Server) grantAction(c *call, fn func(ctx context.Context, c domain.Caller, ref, grantID string) error) (int, any, error) {
	var req grantReq
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	c.setKey(req.KeyID)
	if err := fn(c.ctx, c.caller, req.KeyID, req.GrantID); err != nil {
		return 0, nil, err
	}
	return 200, nil, nil
}
