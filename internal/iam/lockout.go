package iam

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
)

// ErrLocked is returned by Login while the login is locked out after too
// many wrong passwords, whatever the password.
var ErrLocked = errors.New("iam: login locked after too many wrong passwords")

// Lockout is the password lockout policy, in the shape of Huawei IAM's
// "account lockout" (login authentication policy): Failures wrong passwords
// for one login within Window (counted from the first of them) lock it for
// Duration. A successful login forgets the failures. Zero fields take
// Huawei IAM's defaults: 5 failures, 15 minutes, 15 minutes.
type Lockout struct {
	Failures int
	Window   time.Duration
	Duration time.Duration
}

func (l Lockout) withDefaults() Lockout {
	if l.Failures <= 0 {
		l.Failures = 5
	}
	if l.Window <= 0 {
		l.Window = 15 * time.Minute
	}
	if l.Duration <= 0 {
		l.Duration = 15 * time.Minute
	}
	return l
}

// fail counts one more wrong password at now into f.
func (l Lockout) fail(f domain.LoginFailures, now time.Time) domain.LoginFailures {
	if f.WindowStart.IsZero() || now.Sub(f.WindowStart) >= l.Window {
		f.Failures, f.WindowStart = 0, now
	}
	f.Failures++
	if f.Failures >= l.Failures {
		f.Failures, f.WindowStart, f.LockedUntil = 0, time.Time{}, now.Add(l.Duration)
	}
	f.ExpiresAt = f.WindowStart.Add(l.Window)
	if f.LockedUntil.After(f.ExpiresAt) {
		f.ExpiresAt = f.LockedUntil
	}
	return f
}

// loginName is the lockout key of a login: a hash of the account (its id
// when it exists, else the name or id given) and the user name. Unknown
// users and accounts are counted and locked like real ones, so that the
// lockout does not tell which users exist either; the hash keeps the
// names out of the store and bounds the key's length.
func loginName(a domain.Account, accountName, accountID, user string) string {
	acct := "name:" + accountName
	if a.ID != "" {
		acct = "id:" + a.ID
	} else if accountID != "" {
		acct = "id:" + accountID
	}
	sum := sha256.Sum256([]byte(acct + "\x00" + user))
	return hex.EncodeToString(sum[:])
}

// failures returns the stored record of login, or a zero one.
func (s *Service) failures(ctx context.Context, login string) (domain.LoginFailures, error) {
	f, err := s.store.GetLoginFailures(ctx, login)
	if errors.Is(err, store.ErrNotFound) {
		return domain.LoginFailures{}, nil
	}
	if err != nil {
		return f, fmt.Errorf("iam: read login failures: %w", err)
	}
	return f, nil
}

// recordFailure counts a wrong password for login, across every node
// sharing the store, and drops the records that expired.
func (s *Service) recordFailure(ctx context.Context, login string) error {
	now := s.now()
	err := s.update(ctx, func(tx Tx) error {
		f, err := tx.LockLoginFailures(ctx, login)
		if err != nil {
			return err
		}
		if err := tx.PutLoginFailures(ctx, s.lockout.fail(f, now)); err != nil {
			return err
		}
		_, err = tx.DeleteExpiredLoginFailures(ctx, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("iam: record login failure: %w", err)
	}
	return nil
}

// forgetFailures drops the record of login after a successful login.
func (s *Service) forgetFailures(ctx context.Context, login string) error {
	err := s.update(ctx, func(tx Tx) error { return tx.DeleteLoginFailures(ctx, login) })
	if err != nil {
		return fmt.Errorf("iam: reset login failures: %w", err)
	}
	return nil
}
