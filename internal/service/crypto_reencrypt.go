package service

import (
	"context"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/keycrypto"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/op"
)

// ReEncryptInput is the input of ReEncrypt. DataKey says the ciphertext is a
// DEK envelope (hex on the wire) rather than a data ciphertext (base64).
type ReEncryptInput struct {
	Ciphertext []byte
	DataKey    bool
	SourceRef  string // optional for symmetric ciphertexts
	SourceAlg  string
	SourceAAD  []byte
	DestRef    string
	DestAlg    string
	DestAAD    []byte
}

// ReEncrypted is the result of ReEncrypt.
type ReEncrypted struct {
	Source Plaintext // Data is already cleared
	Dest   Ciphertext
}

// ReEncrypt decrypts under the source key and encrypts under the
// destination key without revealing the plaintext. Data ciphertexts need
// decrypt-data on the source and encrypt-data on the destination and may
// change algorithm (symmetric <-> RSA/SM2); DEK envelopes need
// decrypt-datakey and encrypt-datakey and stay DEK envelopes (destination
// algorithm SYMMETRIC_DEFAULT only, KMS.0308 otherwise).
func (s *Service) ReEncrypt(ctx context.Context, c domain.Caller, in ReEncryptInput) (ReEncrypted, error) {
	if in.DestRef == "" {
		return ReEncrypted{}, kmserr.MissingParameter.Msgf("destination_key_id is required.")
	}
	if in.DataKey {
		return s.reEncryptDatakey(ctx, c, in)
	}
	src, err := s.reDecryptData(ctx, c, in)
	if err != nil {
		return ReEncrypted{}, err
	}
	defer clear(src.Data)
	uk, err := s.UseKey(ctx, c, in.DestRef, op.EncryptData)
	if err != nil {
		return ReEncrypted{}, err
	}
	dst, err := s.encryptWith(ctx, uk, in.DestAlg, src.Data, in.DestAAD)
	if err != nil {
		return ReEncrypted{}, err
	}
	src.Data = nil
	return ReEncrypted{Source: src, Dest: dst}, nil
}

func (s *Service) reDecryptData(ctx context.Context, c domain.Caller, in ReEncryptInput) (Plaintext, error) {
	if !IsSymmetricAlgorithm(in.SourceAlg) {
		return s.decryptAsym(ctx, c, in.SourceRef, op.DecryptData, in.SourceAlg, in.Ciphertext, in.SourceAAD)
	}
	uk, pt, err := s.openEnvelope(ctx, c, in.SourceRef, op.DecryptData, keycrypto.KindData, in.Ciphertext, in.SourceAAD, checkSymmetricData)
	if err != nil {
		return Plaintext{}, err
	}
	return Plaintext{KeyID: uk.Key.ID, Algorithm: keycrypto.AlgSymmetricDefault, Data: pt}, nil
}

func (s *Service) reEncryptDatakey(ctx context.Context, c domain.Caller, in ReEncryptInput) (ReEncrypted, error) {
	if !IsSymmetricAlgorithm(in.SourceAlg) || !IsSymmetricAlgorithm(in.DestAlg) {
		return ReEncrypted{}, kmserr.InvalidParameter.Msgf("A data key envelope can only be re-encrypted with SYMMETRIC_DEFAULT into another data key envelope.")
	}
	src, dek, err := s.openEnvelope(ctx, c, in.SourceRef, op.DecryptDatakey, keycrypto.KindDataKey, in.Ciphertext, in.SourceAAD, checkDatakeyKey)
	if err != nil {
		return ReEncrypted{}, err
	}
	defer clear(dek)
	dst, err := s.UseKey(ctx, c, in.DestRef, op.EncryptDatakey)
	if err != nil {
		return ReEncrypted{}, err
	}
	if err := checkDatakeyKey(&dst.Key); err != nil {
		return ReEncrypted{}, err
	}
	ct, err := s.sealPrimary(ctx, dst, keycrypto.KindDataKey, dek, in.DestAAD)
	if err != nil {
		return ReEncrypted{}, err
	}
	alg := keycrypto.AlgSymmetricDefault
	return ReEncrypted{
		Source: Plaintext{KeyID: src.Key.ID, Algorithm: alg},
		Dest:   Ciphertext{KeyID: dst.Key.ID, Algorithm: alg, Blob: ct},
	}, nil
}
