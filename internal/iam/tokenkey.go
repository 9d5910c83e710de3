package iam

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/kmsd/kmsd/internal/store"
)

const tokenKeySetting = "token-signing-key"

var tokenKeyAAD = []byte("kmsd:token-signing-key:v1")

// TokenKey returns the 32-byte key that signs IAM tokens, creating it on
// first use. Every node sharing the store and root key gets the same key, so
// a token issued by one node verifies on all of them.
func (s *Service) TokenKey(ctx context.Context) ([]byte, error) {
	wrapped, err := s.store.GetSetting(ctx, tokenKeySetting)
	if errors.Is(err, store.ErrNotFound) {
		wrapped, err = s.createTokenKey(ctx)
	}
	if err != nil {
		return nil, fmt.Errorf("iam: token key: %w", err)
	}
	return s.root.Unwrap(ctx, wrapped, tokenKeyAAD)
}

func (s *Service) createTokenKey(ctx context.Context) ([]byte, error) {
	key := make([]byte, 32)
	rand.Read(key)
	wrapped, err := s.root.Wrap(ctx, key, tokenKeyAAD)
	clear(key)
	if err != nil {
		return nil, err
	}
	err = s.update(ctx, func(tx Tx) error {
		return tx.PutSetting(ctx, tokenKeySetting, wrapped, true)
	})
	if errors.Is(err, store.ErrExists) { // another node won the race
		return s.store.GetSetting(ctx, tokenKeySetting)
	}
	return wrapped, err
}
