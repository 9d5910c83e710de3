package service

import (
	"context"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/keycrypto"
	"github.com/kmsd/kmsd/internal/op"
)

// op.DeriveSharedSecret is the derive-shared-secret action (not grantable).

// DeriveSharedSecret performs ECDH between an enabled EC_P256, EC_P384,
// SECP256K1 or SM2 SIGN_VERIFY key and a peer public key (SPKI DER on the
// same curve, else KMS.0308). It returns the key id and the raw shared secret
// (the x-coordinate, no KDF). Other keys: see requireAgreementKey.
func (s *Service) DeriveSharedSecret(ctx context.Context, c domain.Caller, ref string, peerSPKI []byte) (string, []byte, error) {
	u, err := s.UseKey(ctx, c, ref, op.DeriveSharedSecret)
	if err != nil {
		return "", nil, err
	}
	if err := requireAgreementKey(&u.Key); err != nil {
		return "", nil, err
	}
	_, material := u.Primary()
	secret, err := keycrypto.DeriveSharedSecret(u.Key.Spec, material, peerSPKI)
	if err != nil {
		return "", nil, cryptoErr(err)
	}
	return u.Key.ID, secret, nil
}
