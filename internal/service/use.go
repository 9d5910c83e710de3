package service

import (
	"context"
	"slices"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
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

// UseKey prepares key ref (id, alias or alias URN) for operation op (one of
// the domain.Op* names, or any other data-plane action name). The caller must
// own the key or hold a grant listing op. Then the key must be enabled:
// disabled answers KMS.0209, pending deletion KMS.0210, pending import (or any
// other state) KMS.1301. No store read happens when the key is cached.
func (s *Service) UseKey(ctx context.Context, c domain.Caller, ref, op string) (*UsableKey, error) {
	ck, err := s.readKey(ctx, c, ref, op)
	if err != nil {
		return nil, err
	}
	if err := checkUsable(&ck.key); err != nil {
		return nil, err
	}
	return &UsableKey{Key: ck.key, material: ck.material, public: ck.public}, nil
}

// authorize lets the owner do anything and a grantee exactly the granted
// operations. Someone with no relation to the key gets KMS.0207, as if the
// key did not exist; a grantee asking for an operation it was not granted
// gets 403 KMS.0306.
func authorize(c domain.Caller, ck *cachedKey, op string) error {
	if owns(c, &ck.key) {
		return nil
	}
	related := false
	for _, g := range ck.grants {
		if !grantee(c, g) {
			continue
		}
		related = true
		if slices.Contains(g.Operations, op) {
			return nil
		}
	}
	if related {
		return kmserr.NoKeyPermission.Msgf("The grant does not allow %s on this key.", op)
	}
	return kmserr.KeyNotFound
}

// grantee reports whether g names c: the user, or the user's account.
func grantee(c domain.Caller, g domain.Grant) bool {
	if g.GranteeType == domain.GranteeDomain {
		return g.GranteePrincipal == c.DomainID
	}
	return g.GranteePrincipal == c.UserID
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
