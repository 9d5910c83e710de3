package iam

import (
	"context"
	"errors"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/store"
)

// CreateAccessKey creates a permanent access key for user userID of
// account domainID and returns it with its secret key, which is never
// shown again. A user has at most MaxKeysPerUser access keys.
func (s *Service) CreateAccessKey(ctx context.Context, domainID, userID, description string) (Secret, error) {
	if err := validDescription(description); err != nil {
		return Secret{}, err
	}
	var sec Secret
	err := s.update(ctx, func(tx Tx) error {
		u, err := s.lockedUser(ctx, tx, domainID, userID)
		if err != nil {
			return err
		}
		keys, err := tx.ListCredentials(ctx, userID)
		if err != nil {
			return err
		}
		if len(keys) >= MaxKeysPerUser {
			return kmserr.IAMQuota.Msgf("A user has at most %d access keys.", MaxKeysPerUser)
		}
		if sec, err = s.newCredential(ctx, u, nil, "", ""); err != nil {
			return err
		}
		sec.Credential.Description = description
		return tx.CreateCredential(ctx, sec.Credential)
	})
	return sec, err
}

// AccessKeys lists the access keys of user userID of account domainID.
func (s *Service) AccessKeys(ctx context.Context, domainID, userID string) ([]domain.Credential, error) {
	if _, err := s.AccountUser(ctx, domainID, userID); err != nil {
		return nil, err
	}
	return s.store.ListCredentials(ctx, userID)
}

// AccessKey returns access key ak of account domainID (404 IAM.0004
// otherwise).
func (s *Service) AccessKey(ctx context.Context, domainID, ak string) (domain.Credential, error) {
	c, err := s.store.GetCredential(ctx, ak)
	if errors.Is(err, store.ErrNotFound) || err == nil && c.DomainID != domainID {
		return domain.Credential{}, kmserr.IAMNotFound.Msgf("Could not find access key: %s.", ak)
	}
	return c, err
}

// UpdateAccessKey sets an access key's status and description (nil: left
// alone). An inactive key stops authenticating at once on this node and,
// through the store's notifications, on every other.
func (s *Service) UpdateAccessKey(ctx context.Context, domainID, ak string, inactive *bool, description *string) (domain.Credential, error) {
	if description != nil {
		if err := validDescription(*description); err != nil {
			return domain.Credential{}, err
		}
	}
	var c domain.Credential
	err := s.update(ctx, func(tx Tx) error {
		var err error
		if c, err = tx.GetCredential(ctx, ak); err != nil || c.DomainID != domainID {
			return kmserr.IAMNotFound.Msgf("Could not find access key: %s.", ak)
		}
		if inactive != nil {
			c.Inactive = *inactive
		}
		if description != nil {
			c.Description = *description
		}
		return tx.UpdateCredential(ctx, c)
	})
	s.secrets.drop(ak)
	return c, err
}

// DeleteAccessKey deletes an access key; it stops authenticating at once.
func (s *Service) DeleteAccessKey(ctx context.Context, domainID, ak string) error {
	err := s.update(ctx, func(tx Tx) error {
		c, err := tx.GetCredential(ctx, ak)
		if err != nil || c.DomainID != domainID {
			return kmserr.IAMNotFound.Msgf("Could not find access key: %s.", ak)
		}
		return tx.DeleteCredential(ctx, ak)
	})
	s.secrets.drop(ak)
	return err
}
