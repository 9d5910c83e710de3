package service

import (
	"context"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/keycrypto"
	"github.com/kmsd/kmsd/internal/op"
)

// Signature is a sign request: key reference (id, alias or alias URN),
// signing_algorithm, the decoded message and whether it is RAW (hashed here)
// or a DIGEST.
type Signature struct {
	KeyRef    string
	Algorithm string
	Message   []byte
	Raw       bool
}

// Sign signs with the primary version of an enabled asymmetric SIGN_VERIFY
// key and returns the key id and the signature (formats in
// internal/keycrypto's doc). Errors: key kind (see requireSignKey), KMS.0332
// algorithm not valid for the key, KMS.0329 digest length.
func (s *Service) Sign(ctx context.Context, c domain.Caller, r Signature) (string, []byte, error) {
	u, err := s.UseKey(ctx, c, r.KeyRef, op.Sign)
	if err != nil {
		return "", nil, err
	}
	if err := requireSignKey(&u.Key); err != nil {
		return "", nil, err
	}
	_, material := u.Primary()
	sig, err := keycrypto.Sign(u.Key.Spec, material, r.Algorithm, r.Message, r.Raw)
	if err != nil {
		return "", nil, cryptoErr(err)
	}
	return u.Key.ID, sig, nil
}

// Verify checks signature over r with the key's public key. A well-formed
// request whose signature does not match (or is not even a signature) is
// (id, false, nil); errors as in Sign.
func (s *Service) Verify(ctx context.Context, c domain.Caller, r Signature, signature []byte) (string, bool, error) {
	u, err := s.UseKey(ctx, c, r.KeyRef, op.Verify)
	if err != nil {
		return "", false, err
	}
	if err := requireSignKey(&u.Key); err != nil {
		return "", false, err
	}
	ok, err := keycrypto.Verify(u.Key.Spec, u.PublicKey(), r.Algorithm, r.Message, signature, r.Raw)
	if err != nil {
		return "", false, cryptoErr(err)
	}
	return u.Key.ID, ok, nil
}

// PublicKey returns the key id and the "PUBLIC KEY" PEM (SPKI, CRLF line
// ends) of an enabled asymmetric key of either usage. Symmetric keys answer
// KMS.0331, HMAC keys KMS.0341.
func (s *Service) PublicKey(ctx context.Context, c domain.Caller, ref string) (string, string, error) {
	u, err := s.UseKey(ctx, c, ref, op.GetPublicKey)
	if err != nil {
		return "", "", err
	}
	if err := requireAsymmetric(&u.Key); err != nil {
		return "", "", err
	}
	return u.Key.ID, keycrypto.PublicKeyPEM(u.PublicKey()), nil
}
