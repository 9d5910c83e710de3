package service

import (
	"context"
	"errors"
	"fmt"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/keycrypto"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/op"
)

// EncryptInput is the input of EncryptData. Field rules (lengths, algorithm
// names) are checked by the API layer; the service checks the key.
type EncryptInput struct {
	KeyRef    string // key id, alias or alias URN
	Algorithm string // "" = SYMMETRIC_DEFAULT
	Plaintext []byte
	AAD       []byte // must be empty for asymmetric algorithms
}

// DecryptInput is the input of DecryptData.
type DecryptInput struct {
	KeyRef     string // optional for symmetric ciphertexts
	Algorithm  string // "" = SYMMETRIC_DEFAULT
	Ciphertext []byte
	AAD        []byte
}

// Ciphertext is the result of an encryption.
type Ciphertext struct {
	KeyID     string
	Algorithm string // effective encryption_algorithm
	Blob      []byte
}

// Plaintext is the result of a decryption. Callers should clear Data after use.
type Plaintext struct {
	KeyID     string
	Algorithm string
	Data      []byte
}

// EncryptData encrypts with key in.KeyRef (operation encrypt-data). Symmetric
// keys seal a format-1 KindData envelope under the primary version; RSA and
// SM2 ENCRYPT_DECRYPT keys return the raw RSA-OAEP / SM2 ciphertext.
// Errors: UseKey's, encryptAlgorithm's, KMS.2108 (too long for RSA),
// KMS.0308 (AAD with an asymmetric algorithm).
func (s *Service) EncryptData(ctx context.Context, c domain.Caller, in EncryptInput) (Ciphertext, error) {
	uk, err := s.UseKey(ctx, c, in.KeyRef, op.EncryptData)
	if err != nil {
		return Ciphertext{}, err
	}
	return s.encryptWith(ctx, uk, in.Algorithm, in.Plaintext, in.AAD)
}

// encryptWith encrypts data with an already authorized key.
func (s *Service) encryptWith(ctx context.Context, uk *UsableKey, alg string, plaintext, aad []byte) (Ciphertext, error) {
	alg, err := encryptAlgorithm(&uk.Key, alg)
	if err != nil {
		return Ciphertext{}, err
	}
	out := Ciphertext{KeyID: uk.Key.ID, Algorithm: alg}
	if alg == keycrypto.AlgSymmetricDefault {
		out.Blob, err = s.sealPrimary(ctx, uk, keycrypto.KindData, plaintext, aad)
		return out, err
	}
	if len(aad) > 0 {
		return Ciphertext{}, errAsymAAD
	}
	_, m := uk.Primary()
	if out.Blob, err = keycrypto.EncryptAsym(uk.Key.Spec, m, alg, plaintext); err != nil {
		return Ciphertext{}, asymError(err)
	}
	return out, nil
}

var errAsymAAD = kmserr.InvalidParameter.Msgf(
	"additional_authenticated_data cannot be used with asymmetric encryption: RSA-OAEP and SM2 ciphertexts cannot bind it.")

// DecryptData decrypts (operation decrypt-data). Symmetric ciphertexts name
// their key and key version: without KeyRef the key comes from the envelope;
// with it, it must be the envelope's key. Every symmetric failure after the
// key checks is the one opaque KMS.2201. Asymmetric ciphertexts need KeyRef
// (KMS.0204) and fail with KMS.0311.
func (s *Service) DecryptData(ctx context.Context, c domain.Caller, in DecryptInput) (Plaintext, error) {
	if IsSymmetricAlgorithm(in.Algorithm) {
		uk, pt, err := s.openEnvelope(ctx, c, in.KeyRef, op.DecryptData, keycrypto.KindData, in.Ciphertext, in.AAD, checkSymmetricData)
		if err != nil {
			return Plaintext{}, err
		}
		return Plaintext{KeyID: uk.Key.ID, Algorithm: keycrypto.AlgSymmetricDefault, Data: pt}, nil
	}
	return s.decryptAsym(ctx, c, in.KeyRef, op.DecryptData, in.Algorithm, in.Ciphertext, in.AAD)
}

// decryptAsym decrypts an RSA-OAEP or SM2 ciphertext with key ref.
func (s *Service) decryptAsym(ctx context.Context, c domain.Caller, ref string, action op.Name, alg string, ct, aad []byte) (Plaintext, error) {
	if ref == "" {
		return Plaintext{}, kmserr.MissingParameter.Msgf("key_id is required to decrypt with %s.", alg)
	}
	uk, err := s.UseKey(ctx, c, ref, action)
	if err != nil {
		return Plaintext{}, err
	}
	if alg, err = encryptAlgorithm(&uk.Key, alg); err != nil {
		return Plaintext{}, err
	}
	if len(aad) > 0 {
		return Plaintext{}, errAsymAAD
	}
	_, m := uk.Primary()
	pt, err := keycrypto.DecryptAsym(uk.Key.Spec, m, alg, ct)
	if errors.Is(err, keycrypto.ErrCiphertext) {
		return Plaintext{}, kmserr.RSADecryptFailed.Msgf("The cipher_text could not be decrypted with this key and %s.", alg)
	}
	if err != nil {
		return Plaintext{}, kmserr.Internal.Wrap(err)
	}
	return Plaintext{KeyID: uk.Key.ID, Algorithm: alg, Data: pt}, nil
}

// openEnvelope authorizes op on the envelope's key and opens it. ref, when
// given, must resolve to the key the envelope names, or to a replica of
// it or its primary (docs/regions-and-keystores.md); otherwise the
// envelope's key id is used. check validates the key's spec and usage.
// The version comes from the envelope, so ciphertexts made before a
// rotation keep opening; a version whose material is gone, a wrong kind or
// any authentication failure answer errCiphertext.
func (s *Service) openEnvelope(ctx context.Context, c domain.Caller, ref string, action op.Name, kind keycrypto.Kind, ct, aad []byte, check func(*domain.Key) error) (*UsableKey, []byte, error) {
	h, perr := keycrypto.PeekHeader(ct) // Open checks the trailer
	fromEnvelope := ref == ""
	if fromEnvelope {
		if perr != nil {
			return nil, nil, badCiphertext(perr)
		}
		if !domain.ValidKeyID(h.KeyID) {
			return nil, nil, badCiphertext(fmt.Errorf("envelope names key %q", h.KeyID))
		}
		ref = h.KeyID
	}
	uk, err := s.UseKey(ctx, c, ref, action)
	if err != nil {
		return nil, nil, envelopeOr(fromEnvelope, ct, err)
	}
	if err := check(&uk.Key); err != nil {
		return nil, nil, err
	}
	switch {
	case perr != nil:
		return nil, nil, badCiphertext(perr)
	case h.Kind != kind:
		return nil, nil, badCiphertext(fmt.Errorf("envelope kind %d, want %d", h.Kind, kind))
	case h.KeyID != uk.Key.ID && !s.sameMaterial(ctx, h.KeyID, uk.Key.ID):
		return nil, nil, badCiphertext(fmt.Errorf("envelope of key %s given to key %s", h.KeyID, uk.Key.ID))
	}
	m, ok := uk.Material(int(h.Version))
	if !ok {
		return nil, nil, badCiphertext(fmt.Errorf("key %s has no material for version %d", uk.Key.ID, h.Version))
	}
	pt, err := keycrypto.Open(uk.Key.Spec, m, ct, aad)
	if err != nil {
		return nil, nil, badCiphertext(nil)
	}
	return uk, pt, nil
}

// envelopeOr returns err, unless the key was found through the envelope's
// own key id and the envelope is damaged (e.g. a flipped key id byte): then
// it reports the damage rather than the key the envelope now seems to name.
func envelopeOr(fromEnvelope bool, ct []byte, err error) error {
	if fromEnvelope {
		if _, cerr := keycrypto.ParseHeader(ct); cerr != nil {
			return badCiphertext(cerr)
		}
	}
	return err
}
