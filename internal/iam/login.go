package iam

import (
	"context"
	"errors"
	"fmt"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
)

// ErrDisabled is returned by Login for a disabled user whose password is
// right.
var ErrDisabled = errors.New("iam: user disabled")

// Login checks a user's password. The account is found by name or id
// (whichever is non-empty). A wrong password, an unknown user and an
// unknown account all return ErrUnknown after the same PBKDF2 work (the
// last two against dummyHash), so neither the answer nor its timing tells
// which users exist. Each such failure counts toward the lockout policy;
// a locked login returns ErrLocked without checking the password, and a
// successful one resets the count. limit.ErrBusy means the gate for
// expensive operations had no slot for the hash.
func (s *Service) Login(ctx context.Context, accountName, accountID, user, password string) (domain.User, domain.Account, error) {
	a, u, err := s.loginTarget(ctx, accountName, accountID, user)
	if err != nil {
		return domain.User{}, domain.Account{}, err
	}
	login := loginName(a, accountName, accountID, user)
	f, err := s.failures(ctx, login)
	if err != nil {
		return domain.User{}, domain.Account{}, err
	}
	if s.now().Before(f.LockedUntil) {
		return domain.User{}, domain.Account{}, ErrLocked
	}
	if err := s.verify(ctx, u, password, login); err != nil {
		return domain.User{}, domain.Account{}, err
	}
	if u.Disabled {
		return domain.User{}, domain.Account{}, ErrDisabled
	}
	if f.Login != "" {
		if err := s.forgetFailures(ctx, login); err != nil {
			return domain.User{}, domain.Account{}, err
		}
	}
	return u, a, nil
}

// verify checks password against u's hash (dummyHash for a zero u or a
// user without a password) and
// counts a failure for login if it does not match.
func (s *Service) verify(ctx context.Context, u domain.User, password, login string) error {
	hash := u.PasswordHash
	if u.ID == "" || hash == "" {
		hash = dummyHash
	}
	ok, err := s.checkPassword(ctx, hash, password)
	if err != nil {
		return err
	}
	if ok && u.ID != "" && u.PasswordHash != "" {
		return nil
	}
	if err := s.recordFailure(ctx, login); err != nil {
		return err
	}
	return fmt.Errorf("%w: user or password", ErrUnknown)
}

// loginTarget finds the account and user of a login; either is zero when it
// does not exist. Errors are infrastructure failures only.
func (s *Service) loginTarget(ctx context.Context, accountName, accountID, user string) (domain.Account, domain.User, error) {
	a, err := s.findAccount(ctx, accountName, accountID)
	if errors.Is(err, ErrUnknown) {
		return domain.Account{}, domain.User{}, nil
	}
	if err != nil {
		return a, domain.User{}, err
	}
	u, err := s.store.GetUserByName(ctx, a.ID, user)
	if errors.Is(err, store.ErrNotFound) {
		return a, domain.User{}, nil
	}
	return a, u, err
}
