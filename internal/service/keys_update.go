package service

import (
	"context"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/op"
)

// UpdateDescription sets a key's description (UpdateKeyDescription).
// Default keys (KMS.0211) and keys pending deletion (KMS.0210) cannot be
// changed; the description is 0-255 characters (KMS.1103).
func (s *Service) UpdateDescription(ctx context.Context, c domain.Caller, id, desc string) (domain.Key, error) {
	if err := domain.CheckDescription(desc); err != nil {
		return domain.Key{}, err
	}
	return s.mutateKey(ctx, c, id, op.UpdateKeyDescription, func(k *domain.Key) error {
		if err := checkMutable(k); err != nil {
			return err
		}
		k.Description = desc
		return nil
	})
}

// UpdateAlias renames a key (UpdateKeyAlias). Same state rules as
// UpdateDescription; the alias is unique in the project (KMS.1104).
func (s *Service) UpdateAlias(ctx context.Context, c domain.Caller, id, alias string) (domain.Key, error) {
	if err := domain.CheckKeyAlias(alias); err != nil {
		return domain.Key{}, err
	}
	return s.mutateKey(ctx, c, id, op.UpdateKeyAlias, func(k *domain.Key) error {
		if err := checkMutable(k); err != nil {
			return err
		}
		k.Alias = alias
		return nil
	})
}

// EnableKey moves a disabled key to enabled; any other state answers
// KMS.1201 (pending deletion: KMS.0210).
func (s *Service) EnableKey(ctx context.Context, c domain.Caller, id string) (domain.Key, error) {
	return s.mutateKey(ctx, c, id, op.EnableKey, func(k *domain.Key) error {
		if err := checkMutable(k); err != nil {
			return err
		}
		if k.State != domain.StateDisabled {
			return kmserr.KeyNotDisabled
		}
		k.State = domain.StateEnabled
		return nil
	})
}

// DisableKey moves an enabled key to disabled; any other state answers
// KMS.1301 (pending deletion: KMS.0210).
func (s *Service) DisableKey(ctx context.Context, c domain.Caller, id string) (domain.Key, error) {
	return s.mutateKey(ctx, c, id, op.DisableKey, func(k *domain.Key) error {
		if err := checkMutable(k); err != nil {
			return err
		}
		if k.State != domain.StateEnabled {
			return kmserr.KeyNotEnabled
		}
		k.State = domain.StateDisabled
		return nil
	})
}

// ScheduleDeletion puts a key into pending deletion for days (7-1096) days.
// Allowed from enabled, disabled and pending import; already pending answers
// KMS.1402; default keys KMS.0211.
func (s *Service) ScheduleDeletion(ctx context.Context, c domain.Caller, id string, days int) (domain.Key, error) {
	if days < domain.MinPendingDays || days > domain.MaxPendingDays {
		return domain.Key{}, kmserr.InvalidPendingDays
	}
	return s.mutateKey(ctx, c, id, op.ScheduleKeyDeletion, func(k *domain.Key) error {
		if k.Default {
			return kmserr.DefaultKey
		}
		if k.State == domain.StatePendingDeletion {
			return kmserr.AlreadyPendingDel
		}
		k.State = domain.StatePendingDeletion
		k.DeletionDate = s.now().Add(time.Duration(days) * 24 * time.Hour)
		return nil
	})
}

// CancelDeletion returns a key pending deletion to disabled, or to pending
// import when it is an external key without material. Other states answer
// KMS.1501.
func (s *Service) CancelDeletion(ctx context.Context, c domain.Caller, id string) (domain.Key, error) {
	return s.mutateKey(ctx, c, id, op.CancelKeyDeletion, func(k *domain.Key) error {
		if k.State != domain.StatePendingDeletion {
			return kmserr.NotPendingDeletion
		}
		k.State = domain.StateDisabled
		if !k.HasMaterial() {
			k.State = domain.StatePendingImport
		}
		k.DeletionDate = time.Time{}
		return nil
	})
}
