package service

import (
	"context"
	"errors"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/keycrypto"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/limit"
)

// expensive runs fn under the node's gate for expensive operations
// (Options.Expensive). When no slot frees in time fn is not run and the
// answer is 429 APIGW.0308, so that a few tenants generating RSA keys cannot
// take every CPU from the data plane.
func (s *Service) expensive(ctx context.Context, fn func() error) error {
	err := s.gate.Do(ctx, fn)
	if errors.Is(err, limit.ErrBusy) {
		return kmserr.Throttled
	}
	return err
}

// generate makes fresh material for spec; RSA key generation (up to seconds
// of CPU for RSA_4096) runs under the gate, the others are cheap.
func (s *Service) generate(ctx context.Context, spec domain.KeySpec) (material []byte, err error) {
	if spec.Class() != domain.ClassRSA {
		return keycrypto.Generate(spec)
	}
	err = s.expensive(ctx, func() error {
		material, err = keycrypto.Generate(spec)
		return err
	})
	return material, err
}
