package service

import (
	"context"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/keycrypto"
	"github.com/kmsd/kmsd/internal/op"
)

// GenerateMAC returns the key id and the HMAC of message under an enabled
// HMAC key. alg must be the key's own algorithm (HMAC_256 HMAC_SHA_256,
// HMAC_384 HMAC_SHA_384, HMAC_512 HMAC_SHA_512, HMAC_SM3 HMAC_SM3), else
// KMS.0332. Non-HMAC keys: see requireMACKey.
func (s *Service) GenerateMAC(ctx context.Context, c domain.Caller, ref, alg string, message []byte) (string, []byte, error) {
	u, err := s.UseKey(ctx, c, ref, op.GenerateMAC)
	if err != nil {
		return "", nil, err
	}
	if err := requireMACKey(&u.Key); err != nil {
		return "", nil, err
	}
	_, material := u.Primary()
	mac, err := keycrypto.MAC(u.Key.Spec, material, alg, message)
	if err != nil {
		return "", nil, cryptoErr(err)
	}
	return u.Key.ID, mac, nil
}

// VerifyMAC recomputes the MAC and compares it in constant time: a MAC of
// the wrong value or length is (id, false, nil); errors as in GenerateMAC.
func (s *Service) VerifyMAC(ctx context.Context, c domain.Caller, ref, alg string, message, mac []byte) (string, bool, error) {
	u, err := s.UseKey(ctx, c, ref, op.VerifyMAC)
	if err != nil {
		return "", false, err
	}
	if err := requireMACKey(&u.Key); err != nil {
		return "", false, err
	}
	_, material := u.Primary()
	ok, err := keycrypto.VerifyMAC(u.Key.Spec, material, alg, message, mac)
	if err != nil {
		return "", false, cryptoErr(err)
	}
	return u.Key.ID, ok, nil
}
