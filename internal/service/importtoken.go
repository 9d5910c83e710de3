package service

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/keycrypto"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/store"
)

// Import tokens (docs/crypto-asymmetric.md §4.1) are self-contained: a
// format-1 envelope (docs/ciphertext.md, keycrypto.Seal, AES-256-GCM) under
// a key derived from a server secret, naming the CMK id in its header and
// holding
//
//	alg (1 byte) ‖ expiry (8 bytes, big-endian Unix seconds) ‖ PKCS#8 wrapping key
//
// with the AAD importTokenAAD. The secret is created once, wrapped under the
// root key and kept as a store setting, so every node sharing the store and
// root key issues and accepts the same tokens; no per-token state is stored.

const importSecretSetting = "import-token-secret"

var (
	importSecretAAD = []byte("kmsd:import-token-secret:v1")
	importTokenAAD  = []byte("kmsd:import-token:v1")
	labelTokenSeal  = []byte("kmsd:import-token:seal:v1")
	labelMaterialFP = []byte("kmsd:import-material:fingerprint:v1")
)

// importTokenVersion is the key-version field of token envelopes.
const importTokenVersion = 1

// wrapping algorithm codes inside a token.
var importAlgCode = map[string]byte{keycrypto.AlgRSAESOAEPSHA256: 1, keycrypto.AlgRSAESOAEPSHA1: 2}

// importToken is the content of an import token.
type importToken struct {
	KeyID    string
	Alg      string
	Expiry   time.Time // whole seconds
	Wrapping *rsa.PrivateKey
}

// importSecret returns the 32-byte import secret, creating it on first use
// (the first writer wins a race between nodes).
func (s *Service) importSecret(ctx context.Context) ([]byte, error) {
	wrapped, err := s.store.GetSetting(ctx, importSecretSetting)
	if errors.Is(err, store.ErrNotFound) {
		wrapped, err = s.createImportSecret(ctx)
	}
	if err != nil {
		return nil, fmt.Errorf("service: import secret: %w", err)
	}
	return s.root.Unwrap(ctx, wrapped, importSecretAAD)
}

func (s *Service) createImportSecret(ctx context.Context) ([]byte, error) {
	secret, err := keycrypto.Generate(domain.SpecAES256)
	if err != nil {
		return nil, err
	}
	wrapped, err := s.root.Wrap(ctx, secret, importSecretAAD)
	clear(secret)
	if err != nil {
		return nil, err
	}
	err = s.update(ctx, func(tx Tx) error {
		return tx.PutSetting(ctx, importSecretSetting, wrapped, true)
	})
	if errors.Is(err, store.ErrExists) {
		return s.store.GetSetting(ctx, importSecretSetting)
	}
	return wrapped, err
}

// importKeys derives the token sealing key and the material fingerprint key
// from the import secret with HMAC-SHA256 as the PRF (one HKDF-Expand block).
func (s *Service) importKeys(ctx context.Context) (seal, fingerprint []byte, err error) {
	secret, err := s.importSecret(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer clear(secret)
	prf := func(label []byte) []byte {
		k, _ := keycrypto.MAC(domain.SpecHMAC256, secret, keycrypto.AlgHMACSHA256, label)
		return k
	}
	return prf(labelTokenSeal), prf(labelMaterialFP), nil
}

// sealImportToken returns the token bytes (the API sends them base64).
func (s *Service) sealImportToken(ctx context.Context, t importToken) ([]byte, error) {
	key, _, err := s.importKeys(ctx)
	if err != nil {
		return nil, err
	}
	defer clear(key)
	der, err := x509.MarshalPKCS8PrivateKey(t.Wrapping)
	if err != nil {
		return nil, err
	}
	defer clear(der)
	body := make([]byte, 9, 9+len(der))
	body[0] = importAlgCode[t.Alg]
	binary.BigEndian.PutUint64(body[1:], uint64(t.Expiry.Unix()))
	body = append(body, der...)
	defer clear(body)
	return keycrypto.Seal(keycrypto.KindData, domain.SpecAES256, t.KeyID, importTokenVersion, key, body, importTokenAAD)
}

// openImportToken authenticates and parses a token. Anything that is not a
// token this deployment issued answers KMS.2605; it does not check the key
// id or the expiry (the caller does: KMS.2603, KMS.2601).
func (s *Service) openImportToken(ctx context.Context, raw []byte) (importToken, error) {
	key, _, err := s.importKeys(ctx)
	if err != nil {
		return importToken{}, kmserr.Internal.Wrap(err)
	}
	defer clear(key)
	body, err := keycrypto.Open(domain.SpecAES256, key, raw, importTokenAAD)
	if err != nil || len(body) < 10 {
		return importToken{}, kmserr.ImportTokenInvalid
	}
	defer clear(body)
	h, _ := keycrypto.ParseHeader(raw) // authenticated by Open
	t := importToken{KeyID: h.KeyID, Expiry: time.Unix(int64(binary.BigEndian.Uint64(body[1:9])), 0)}
	for name, code := range importAlgCode {
		if code == body[0] {
			t.Alg = name
		}
	}
	k, err := x509.ParsePKCS8PrivateKey(body[9:])
	rk, ok := k.(*rsa.PrivateKey)
	if err != nil || !ok || t.Alg == "" || h.Version != importTokenVersion {
		return importToken{}, kmserr.ImportTokenInvalid
	}
	t.Wrapping = rk
	return t, nil
}

// materialFingerprint identifies imported material without revealing it:
// HMAC-SHA256 under the fingerprint key of key id ‖ 0x00 ‖ material.
func (s *Service) materialFingerprint(ctx context.Context, keyID string, material []byte) ([]byte, error) {
	_, key, err := s.importKeys(ctx)
	if err != nil {
		return nil, err
	}
	defer clear(key)
	msg := append(append([]byte(keyID), 0), material...)
	defer clear(msg)
	return keycrypto.MAC(domain.SpecHMAC256, key, keycrypto.AlgHMACSHA256, msg)
}
