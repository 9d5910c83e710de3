package service

import (
	"context"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/op"
	"github.com/kmsd/kmsd/internal/store"
)

// Rotation interval bounds in days (management-api.md §3.12).
const (
	MinRotationDays = 30
	MaxRotationDays = 365
)

// checkRotatable enforces which keys may rotate: only enabled, symmetric,
// kms-origin customer keys. Default keys KMS.0211; external KMS.0312; RSA
// KMS.0324; EC and SM2 KMS.0325; HMAC KMS.0341; disabled KMS.0209; pending
// deletion KMS.0210; any other state KMS.1301.
func checkRotatable(k *domain.Key) error {
	switch {
	case k.Default:
		return kmserr.DefaultKey
	case k.Origin == domain.OriginExternal:
		return kmserr.ExternalRotation
	}
	switch k.Spec.Class() {
	case domain.ClassRSA:
		return kmserr.RSARotation
	case domain.ClassEC, domain.ClassSM2:
		return kmserr.AsymmetricUnsupp.Msgf("Asymmetric keys (%s) cannot be rotated.", k.Spec)
	case domain.ClassHMAC:
		return kmserr.HMACUnsupp.Msgf("HMAC keys (%s) cannot be rotated.", k.Spec)
	}
	if !k.Spec.Rotatable() {
		return kmserr.InvalidKeySpec.Msgf("Keys of spec %s cannot be rotated.", k.Spec)
	}
	return checkUsable(k)
}

// EnableRotation turns on automatic rotation of key ref (owner only). The
// interval is kept if one was set before (default 365 days). Already
// enabled answers KMS.2901; see checkRotatable for the other refusals.
func (s *Service) EnableRotation(ctx context.Context, c domain.Caller, ref string) error {
	return s.rotationTx(ctx, c, ref, op.EnableKeyRotation, func(k *domain.Key) error {
		if err := checkRotatable(k); err != nil {
			return err
		}
		if k.RotationEnabled {
			return kmserr.RotationEnabled
		}
		k.RotationEnabled = true
		if k.RotationInterval < MinRotationDays || k.RotationInterval > MaxRotationDays {
			k.RotationInterval = defaultRotationDays
		}
		return nil
	})
}

// DisableRotation turns off automatic rotation (owner only). The interval,
// rotation count and last rotation time are kept. Default keys KMS.0211,
// keys pending deletion KMS.0210, rotation not enabled KMS.0313.
func (s *Service) DisableRotation(ctx context.Context, c domain.Caller, ref string) error {
	return s.rotationTx(ctx, c, ref, op.DisableKeyRotation, func(k *domain.Key) error {
		if err := checkMutable(k); err != nil {
			return err
		}
		if !k.RotationEnabled {
			return kmserr.RotationDisabled
		}
		k.RotationEnabled = false
		return nil
	})
}

// SetRotationInterval sets the rotation interval to days (30-365, else
// KMS.3001) on a key whose rotation is enabled (else KMS.0313), after the
// checks of EnableRotation. The next rotation is due days after the last
// one (or after creation), so shortening the interval may make the key due
// at the next background pass.
func (s *Service) SetRotationInterval(ctx context.Context, c domain.Caller, ref string, days int) error {
	if days < MinRotationDays || days > MaxRotationDays {
		return kmserr.RotationInterval
	}
	return s.rotationTx(ctx, c, ref, op.UpdateKeyRotationInterval, func(k *domain.Key) error {
		if err := checkRotatable(k); err != nil {
			return err
		}
		if !k.RotationEnabled {
			return kmserr.RotationDisabled
		}
		k.RotationInterval = days
		return nil
	})
}

// RotationStatus returns key ref for get-key-rotation-status (owner only).
// It answers for every key, rotatable or not, so that clients that read it
// for every key (Terraform) never fail.
func (s *Service) RotationStatus(ctx context.Context, c domain.Caller, ref string) (domain.Key, error) {
	ck, err := s.readKey(ctx, c, ref, op.GetKeyRotationStatus)
	if err != nil {
		return domain.Key{}, err
	}
	return ck.key, nil
}

func (s *Service) rotationTx(ctx context.Context, c domain.Caller, ref string, action op.Name, fn func(k *domain.Key) error) error {
	id, err := s.ResolveKeyRef(ctx, c, ref)
	if err != nil {
		return err
	}
	return s.keyTx(ctx, c, id, action, false, func(tx store.Tx, k *domain.Key) error {
		if err := fn(k); err != nil {
			return err
		}
		return updateKey(ctx, tx, k)
	})
}
