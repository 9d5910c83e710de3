package service

import (
	"context"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/keycrypto"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/op"
)

// DataKeyPairRequest asks for a fresh key pair protected by a symmetric CMK.
// Op is op.CreateRSADatakeyPair or op.CreateECDatakeyPair; Spec a
// keycrypto.Pair* name (the caller checks it belongs to Op's family).
type DataKeyPairRequest struct {
	KeyRef    string
	Op        op.Name
	Spec      string
	AAD       []byte
	WithPlain bool
}

// DataKeyPair is a generated pair. PrivateCipher is a format-1 KindData
// envelope (docs/ciphertext.md) of the PKCS#8 private key under the CMK's
// primary version with the request's AAD, so decrypt-data with the same key
// and AAD returns the PKCS#8 DER. PrivatePlain is the PKCS#8 DER, nil unless
// asked for. Public is SPKI DER.
type DataKeyPair struct {
	KeyID         string
	Public        []byte
	PrivateCipher []byte
	PrivatePlain  []byte
}

// CreateDataKeyPair generates a key pair and seals its private half under an
// enabled symmetric CMK (asymmetric CMKs KMS.0325, HMAC KMS.0341). An
// unknown pair spec answers KMS.1902.
func (s *Service) CreateDataKeyPair(ctx context.Context, c domain.Caller, r DataKeyPairRequest) (DataKeyPair, error) {
	u, err := s.UseKey(ctx, c, r.KeyRef, r.Op)
	if err != nil {
		return DataKeyPair{}, err
	}
	if err := requireSymmetricKey(&u.Key); err != nil {
		return DataKeyPair{}, err
	}
	priv, pub, err := s.generatePair(ctx, r)
	if err != nil {
		return DataKeyPair{}, err
	}
	sealed, err := s.sealPrimary(ctx, u, keycrypto.KindData, priv, r.AAD)
	if err != nil {
		clear(priv)
		return DataKeyPair{}, err
	}
	out := DataKeyPair{KeyID: u.Key.ID, Public: pub, PrivateCipher: sealed}
	if r.WithPlain {
		out.PrivatePlain = priv
	} else {
		clear(priv)
	}
	return out, nil
}

// generatePair makes the pair; RSA pairs are generated under the gate for
// expensive operations. An unknown pair spec answers KMS.1902.
func (s *Service) generatePair(ctx context.Context, r DataKeyPairRequest) (priv, pub []byte, err error) {
	gen := func() error {
		if priv, pub, err = keycrypto.GenerateDataKeyPair(r.Spec); err != nil {
			return kmserr.DatakeySpec.Wrap(err)
		}
		return nil
	}
	if r.Op != op.CreateRSADatakeyPair {
		return priv, pub, gen()
	}
	return priv, pub, s.expensive(ctx, gen)
}
