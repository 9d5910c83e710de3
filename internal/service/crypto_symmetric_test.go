package service

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/keycrypto"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/store"
)

// symTestService returns a Service on a fresh SQLite store and file root key,
// and a caller owning a project in it.
func symTestService(t *testing.T) (*Service, domain.Caller) {
	t.Helper()
	st, root := sharedStore(t)
	return New(Options{Store: st, Root: root}), testCaller
}

// symRotate makes a new primary version of key id, as the rotation job does.
func symRotate(t *testing.T, s *Service, id string) {
	t.Helper()
	ctx := context.Background()
	err := s.store.Update(ctx, func(tx store.Tx) error {
		k, err := tx.GetKeyForUpdate(ctx, id)
		if err != nil {
			return err
		}
		return s.rotate(ctx, tx, &k, s.now())
	})
	s.cache.drop(id)
	if err != nil {
		t.Fatal(err)
	}
}

func TestCiphertextsSurviveRotation(t *testing.T) {
	for _, spec := range []domain.KeySpec{domain.SpecAES256, domain.SpecSM4} {
		t.Run(string(spec), func(t *testing.T) {
			s, c := symTestService(t)
			ctx := context.Background()
			k, err := s.CreateKey(ctx, c, NewKey{Alias: "rot", Spec: spec})
			if err != nil {
				t.Fatal(err)
			}
			aad := []byte("ctx")
			v1, err := s.EncryptData(ctx, c, EncryptInput{KeyRef: k.ID, Plaintext: []byte("before"), AAD: aad})
			if err != nil {
				t.Fatal(err)
			}
			dk1, err := s.CreateDatakey(ctx, c, k.ID, 32, nil, true)
			if err != nil {
				t.Fatal(err)
			}
			symRotate(t, s, k.ID)
			v2, err := s.EncryptData(ctx, c, EncryptInput{KeyRef: k.ID, Plaintext: []byte("after")})
			if err != nil {
				t.Fatal(err)
			}
			if h1, h2 := header(t, v1.Blob), header(t, v2.Blob); h1.Version != 1 || h2.Version != 2 {
				t.Fatalf("versions %d and %d, want 1 and 2", h1.Version, h2.Version)
			}
			for name, tc := range map[string]struct {
				blob      []byte
				aad, want []byte
			}{"version 1": {v1.Blob, aad, []byte("before")}, "version 2": {v2.Blob, nil, []byte("after")}} {
				got, err := s.DecryptData(ctx, c, DecryptInput{Ciphertext: tc.blob, AAD: tc.aad})
				if err != nil || !bytes.Equal(got.Data, tc.want) || got.KeyID != k.ID {
					t.Errorf("%s: got %q %v", name, got.Data, err)
				}
			}
			got, err := s.DecryptDatakey(ctx, c, k.ID, dk1.Ciphertext, nil)
			if err != nil || !bytes.Equal(got.Plaintext, dk1.Plaintext) {
				t.Errorf("data key of version 1: %v", err)
			}
		})
	}
}

func TestMissingVersionIsOpaqueError(t *testing.T) {
	s, c := symTestService(t)
	ctx := context.Background()
	k, err := s.CreateKey(ctx, c, NewKey{Alias: "gone"})
	if err != nil {
		t.Fatal(err)
	}
	material := make([]byte, 32)
	forged, err := keycrypto.Seal(keycrypto.KindData, domain.SpecAES256, k.ID, 7, material, []byte("x"), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.DecryptData(ctx, c, DecryptInput{Ciphertext: forged})
	if !errors.Is(err, kmserr.InvalidCiphertext) {
		t.Fatalf("version 7 of a one-version key: got %v, want KMS.2201", err)
	}
}

func header(t *testing.T, blob []byte) keycrypto.Header {
	t.Helper()
	h, err := keycrypto.ParseHeader(blob)
	if err != nil {
		t.Fatal(err)
	}
	return h
}
