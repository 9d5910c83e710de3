package service

import (
	"context"
	"fmt"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/keycrypto"
)

// versionAAD binds wrapped material to its key and version, so a wrapped blob
// cannot be moved to another key or version in the store.
func versionAAD(keyID string, version int) []byte {
	return fmt.Appendf(nil, "kmsd:key-version:v1:%s:%d", keyID, version)
}

// newVersion wraps material as version v of key k under the root key.
func (s *Service) newVersion(ctx context.Context, k *domain.Key, v int, material []byte) (domain.KeyVersion, error) {
	var pub []byte
	if k.Spec.Asymmetric() {
		der, err := keycrypto.PublicKeyDER(k.Spec, material)
		if err != nil {
			return domain.KeyVersion{}, fmt.Errorf("service: public key of %s: %w", k.ID, err)
		}
		pub = der
	}
	wrapped, err := s.root.Wrap(ctx, material, versionAAD(k.ID, v))
	if err != nil {
		return domain.KeyVersion{}, fmt.Errorf("service: wrap key %s version %d: %w", k.ID, v, err)
	}
	return domain.KeyVersion{
		KeyID: k.ID, Version: v, Wrapped: wrapped, RootKeyID: s.root.ID(),
		PublicKey: pub, CreatedAt: s.now(),
	}, nil
}

// generateVersion creates fresh material for k as version v.
func (s *Service) generateVersion(ctx context.Context, k *domain.Key, v int) (domain.KeyVersion, error) {
	material, err := s.generate(ctx, k.Spec)
	if err != nil {
		return domain.KeyVersion{}, fmt.Errorf("service: generate %s material: %w", k.Spec, err)
	}
	defer clear(material)
	return s.newVersion(ctx, k, v, material)
}

// load returns the cached snapshot of key id, reading the store (key,
// versions, grants) and unwrapping material on a miss.
func (s *Service) load(ctx context.Context, id string) (*cachedKey, error) {
	if c, ok := s.cache.get(id); ok {
		return c, nil
	}
	epoch := s.cache.begin()
	k, err := s.store.GetKey(ctx, id)
	if err != nil {
		return nil, err
	}
	c := &cachedKey{key: k, material: map[int][]byte{}, public: map[int][]byte{}}
	versions, err := s.store.ListVersions(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, v := range versions {
		m, err := s.root.Unwrap(ctx, v.Wrapped, versionAAD(v.KeyID, v.Version))
		if err != nil {
			return nil, fmt.Errorf("service: unwrap key %s version %d: %w", id, v.Version, err)
		}
		c.material[v.Version] = m
		c.public[v.Version] = v.PublicKey
	}
	if c.grants, _, err = s.store.ListGrants(ctx, id, storePageAll); err != nil {
		return nil, err
	}
	s.cache.put(epoch, c)
	return c, nil
}
