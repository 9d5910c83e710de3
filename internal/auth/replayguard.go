package auth

import (
	"errors"

	"github.com/kmsd/kmsd/internal/auth/replay"
	"github.com/kmsd/kmsd/internal/kmserr"
)

// ReplayPolicy says which signed requests a node admits only once inside
// their signature's window. The zero value guards nothing.
type ReplayPolicy struct {
	Guard *replay.Guard // nil: no guard
	// All guards every action; otherwise only those that change state.
	All bool
}

// AdmitOnce refuses a signed request this node has already admitted within
// its window (401 APIGW.0301), when the policy guards it: every AK/SK request
// if All, else those whose action changes state. A full guard answers 503
// KMS.0104 rather than forget what it saw. Tokens are bearer credentials and
// are never guarded.
func (a *Authenticator) AdmitOnce(id Identity, changesState bool) error {
	p := a.Replay
	if p.Guard == nil || id.signed.Expires.IsZero() || !(p.All || changesState) {
		return nil
	}
	err := p.Guard.Admit(id.signed.Digest(), id.signed.Expires, a.Clock())
	switch {
	case errors.Is(err, replay.ErrReplayed):
		return kmserr.Unauthenticated.Msgf("This signed request was already received; sign every request anew.").Wrap(err)
	case errors.Is(err, replay.ErrFull):
		return kmserr.Unavailable.Msgf("The replay guard of this node is full; retry later.").Wrap(err)
	}
	return err
}
