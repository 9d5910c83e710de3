package api

import (
	"errors"
	"time"

	"github.com/kmsd/kmsd/internal/authz"
	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/op"
)

// The IAM management operations act in the caller's account. Each is
// authorized by its IAM action through the node's Decider (members of the
// admin group have every action), except what Huawei IAM lets every user
// do to itself: read itself, change its own password, manage its own
// access keys.

// authorizeIAM decides the call's IAM action; self says the call acts on
// the caller's own user.
func (s *Server) authorizeIAM(c *call, self bool) error {
	if self {
		return nil
	}
	caller := domain.Caller{UserID: c.identity.UserID, DomainID: c.identity.DomainID}
	err := s.Authz.Decide(c.ctx, authz.Request{Caller: caller, Action: op.Name(c.event.Action)})
	if errors.Is(err, kmserr.NoRolePermission) {
		return kmserr.IAMForbidden.Wrap(err)
	}
	return err
}

// inAccount refuses a domain_id other than the caller's.
func (c *call) inAccount(domainID *string) error {
	if domainID != nil && *domainID != "" && *domainID != c.identity.DomainID {
		return kmserr.IAMForbidden.Msgf("The domain_id is not the caller's account.")
	}
	return nil
}

// iamTime is Huawei IAM's time format for credentials
// ("2020-01-08 02:26:19.252000").
func iamTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.000000") }

// links is Keystone's links object.
type links struct {
	Self     string `json:"self"`
	Previous string `json:"previous,omitempty"`
	Next     string `json:"next,omitempty"`
}
