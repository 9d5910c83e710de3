package service

import (
	"context"
	"crypto/subtle"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/keycrypto"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/op"
)

// Datakey is a data encryption key (DEK) and its envelope. Plaintext is nil
// for create-datakey-without-plaintext; Digest is set by DecryptDatakey.
// Callers should clear Plaintext after use.
type Datakey struct {
	KeyID      string
	Plaintext  []byte
	Ciphertext []byte // format-1 KindDataKey envelope
	Digest     []byte // keycrypto.DataKeyDigest of Plaintext
}

// CreateDatakey makes a random DEK of n bytes (1-1024) and seals it under
// key ref's primary version as a KindDataKey envelope bound to aad. The
// operation is create-datakey, or create-datakey-without-plaintext when
// withPlaintext is false (then Plaintext is nil). Only symmetric keys can
// protect data keys (checkDatakeyKey).
func (s *Service) CreateDatakey(ctx context.Context, c domain.Caller, ref string, n int, aad []byte, withPlaintext bool) (Datakey, error) {
	action := op.CreateDatakey
	if !withPlaintext {
		action = op.CreateDatakeyWithoutPlaintext
	}
	if n < MinDatakeyBytes || n > MaxDatakeyBytes {
		return Datakey{}, kmserr.DatakeyLength
	}
	uk, err := s.UseKey(ctx, c, ref, action)
	if err != nil {
		return Datakey{}, err
	}
	if err := checkDatakeyKey(&uk.Key); err != nil {
		return Datakey{}, err
	}
	dek, err := randomBytes(n)
	if err != nil {
		return Datakey{}, err
	}
	ct, err := s.sealPrimary(ctx, uk, keycrypto.KindDataKey, dek, aad)
	if err != nil {
		clear(dek)
		return Datakey{}, err
	}
	if !withPlaintext {
		clear(dek)
		dek = nil
	}
	return Datakey{KeyID: uk.Key.ID, Plaintext: dek, Ciphertext: ct}, nil
}

// EncryptDatakey seals a caller-supplied DEK (operation encrypt-datakey)
// after checking digest = keycrypto.DataKeyDigest(key spec, dek): SHA-256
// for AES_256 keys, SM3 for SM4 keys (mismatch KMS.2103).
func (s *Service) EncryptDatakey(ctx context.Context, c domain.Caller, ref string, dek, digest, aad []byte) (Datakey, error) {
	uk, err := s.UseKey(ctx, c, ref, op.EncryptDatakey)
	if err != nil {
		return Datakey{}, err
	}
	if err := checkDatakeyKey(&uk.Key); err != nil {
		return Datakey{}, err
	}
	want := keycrypto.DataKeyDigest(uk.Key.Spec, dek)
	if subtle.ConstantTimeCompare(want, digest) != 1 {
		return Datakey{}, kmserr.DatakeyHashMismatch.Msgf(
			"The last 32 bytes of plain_text must be the %s digest of the data key.", digestName(uk.Key.Spec))
	}
	ct, err := s.sealPrimary(ctx, uk, keycrypto.KindDataKey, dek, aad)
	if err != nil {
		return Datakey{}, err
	}
	return Datakey{KeyID: uk.Key.ID, Ciphertext: ct}, nil
}

// DecryptDatakey opens a KindDataKey envelope (operation decrypt-datakey).
// ref is optional: without it the envelope's key is used; with it, it must
// be that key. The DEK length comes from the envelope. Every envelope
// failure is the opaque KMS.2201.
func (s *Service) DecryptDatakey(ctx context.Context, c domain.Caller, ref string, ct, aad []byte) (Datakey, error) {
	uk, dek, err := s.openEnvelope(ctx, c, ref, op.DecryptDatakey, keycrypto.KindDataKey, ct, aad, checkDatakeyKey)
	if err != nil {
		return Datakey{}, err
	}
	return Datakey{KeyID: uk.Key.ID, Plaintext: dek, Ciphertext: ct, Digest: keycrypto.DataKeyDigest(uk.Key.Spec, dek)}, nil
}

func digestName(spec domain.KeySpec) string {
	if spec == domain.SpecSM4 {
		return "SM3"
	}
	return "SHA-256"
}

// Random returns n bytes (1-1024) from crypto/rand (gen-random).
func (s *Service) Random(n int) ([]byte, error) {
	if n < 1 || n > MaxRandomBytes {
		return nil, kmserr.RandomLength
	}
	return randomBytes(n)
}
