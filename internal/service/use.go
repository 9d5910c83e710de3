package service

import (
	"context"

	"github.com/kmsd/kmsd/internal/authz"
	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/op"
)

// UsableKey is a snapshot of a key prepared for one data-plane operation:
// its metadata and the material of every version. Material must not be
// modified or retained beyond the operation.
type UsableKey struct {
	Key      domain.Key
	material map[int][]byte
	public   map[int][]byte
}

// Primary returns the primary version and its material.
func (u *UsableKey) Primary() (int, []byte) {
	v := u.Key.PrimaryVersion
	return v, u.material[v]
}

// Material returns the material of version v, false if the key has no such
// version (deleted material, or a ciphertext naming a future version).
func (u *UsableKey) Material(v int) ([]byte, bool) {
	m, ok := u.material[v]
	return m, ok
}

// PublicKey returns the DER public key of the primary version (asymmetric keys).
func (u *UsableKey) PublicKey() []byte { return u.public[u.Key.PrimaryVersion] }

// UseKey prepares key ref (id, alias or alias URN) for action. The caller
// must own the key or hold a grant listing action (the authz decision).
// Then the key must be enabled:
// disabled answers KMS.0209, pending deletion KMS.0210, pending import (or any
// other state) KMS.1301. No store read happens when the key is cached.
func (s *Service) UseKey(ctx context.Context, c domain.Caller, ref string, action op.Name) (*UsableKey, error) {
	ck, err := s.readKey(ctx, c, ref, action)
	if err != nil {
		return nil, err
	}
	if err := checkUsable(&ck.key); err != nil {
		return nil, err
	}
	return &UsableKey{Key: ck.key, material: ck.material, public: ck.public}, nil
}

// decide asks the service's authz.Decider whether c may perform action on
// k, whose grants are gs or come from load (called only if c does not own
// k; nil when gs is the answer). The
// default chain lets the owner do anything and a grantee exactly the granted
// operations; someone with no relation to the key gets KMS.0207, as if the
// key did not exist, and a grantee asking for an operation it was not
// granted 403 KMS.0306.
func (s *Service) decide(ctx context.Context, c domain.Caller, action op.Name, k *domain.Key,
	gs []domain.Grant, load func() ([]domain.Grant, error)) error {
	return s.authz.Decide(ctx, authz.Request{Caller: c, Action: action, Key: k, Grants: gs, LoadGrants: load})
}

func checkUsable(k *domain.Key) error {
	switch k.State {
	case domain.StateEnabled:
		return nil
	case domain.StateDisabled:
		return kmserr.KeyDisabled
	case domain.StatePendingDeletion:
		return kmserr.KeyPendingDelete
	}
	return kmserr.KeyNotEnabled.Msgf("The key is not enabled (state %s).", k.State)
}
