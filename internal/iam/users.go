package iam

import (
	"context"
	"errors"
	"strings"
	"unicode"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/store"
)

// Limits Huawei IAM documents per account.
const (
	MaxUsers         = 50  // IAM users per account (Huawei's default quota)
	MaxGroups        = 20  // user groups per account
	MaxPolicies      = 200 // custom policies per account
	MaxKeysPerUser   = 2   // permanent access keys per user
	maxUserName      = 64
	maxDescription   = 255
	minPasswordChars = 8
	maxPasswordChars = 32
)

// UserSpec is a user to create.
type UserSpec struct {
	Name, Password, Description string
	Disabled                    bool
}

// UserPatch changes a user; nil fields are left alone.
type UserPatch struct {
	Name, Password, Description *string
	Enabled                     *bool
}

// CreateUser creates a user of account domainID, with no group (it may do
// nothing but manage its own password and access keys until it is put in
// one). The password follows Huawei's default password policy.
func (s *Service) CreateUser(ctx context.Context, domainID string, spec UserSpec) (domain.User, error) {
	if err := validUserName(spec.Name); err != nil {
		return domain.User{}, err
	}
	if err := validDescription(spec.Description); err != nil {
		return domain.User{}, err
	}
	hash := ""
	if spec.Password != "" {
		if err := validPassword(spec.Name, spec.Password); err != nil {
			return domain.User{}, err
		}
		var err error
		if hash, err = s.hashPassword(ctx, spec.Password); err != nil {
			return domain.User{}, err
		}
	}
	u := domain.User{ID: newID(), Name: spec.Name, DomainID: domainID, PasswordHash: hash,
		Description: spec.Description, Disabled: spec.Disabled, CreatedAt: s.now()}
	err := s.update(ctx, func(tx Tx) error {
		if err := tx.LockAccount(ctx, domainID); err != nil { // the quota counts serialized
			return err
		}
		users, err := tx.ListUsers(ctx, domainID)
		if err != nil {
			return err
		}
		if len(users) >= MaxUsers {
			return kmserr.IAMUserQuota
		}
		return tx.CreateUser(ctx, u)
	})
	if errors.Is(err, store.ErrExists) {
		return domain.User{}, kmserr.IAMUserExists
	}
	return u, err
}

// Users lists the users of an account, optionally only the one named name.
func (s *Service) Users(ctx context.Context, domainID, name string) ([]domain.User, error) {
	if name != "" {
		u, err := s.store.GetUserByName(ctx, domainID, name)
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil
		}
		return []domain.User{u}, err
	}
	return s.store.ListUsers(ctx, domainID)
}

// AccountUser returns user id of account domainID: 404 IAM.0004 if it
// does not exist there.
func (s *Service) AccountUser(ctx context.Context, domainID, id string) (domain.User, error) {
	u, err := s.store.GetUser(ctx, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && u.DomainID != domainID {
		return domain.User{}, kmserr.IAMNotFound.Msgf("Could not find user: %s.", id)
	}
	return u, err
}

// UpdateUser applies p to user id of account domainID. A new password or
// disabling the user invalidates its tokens; disabling the last enabled
// administrator is refused.
func (s *Service) UpdateUser(ctx context.Context, domainID, id string, p UserPatch) (domain.User, error) {
	var hash string
	if p.Password != nil {
		name := ""
		if p.Name != nil {
			name = *p.Name
		}
		if err := validPassword(name, *p.Password); err != nil {
			return domain.User{}, err
		}
		var err error
		if hash, err = s.hashPassword(ctx, *p.Password); err != nil {
			return domain.User{}, err
		}
	}
	var u domain.User
	err := s.update(ctx, func(tx Tx) error {
		var err error
		if u, err = s.lockedUser(ctx, tx, domainID, id); err != nil {
			return err
		}
		if err := applyPatch(&u, p, hash); err != nil {
			return err
		}
		if u.Disabled {
			if err := s.keepAnAdmin(ctx, tx, u); err != nil {
				return err
			}
		}
		return tx.UpdateUser(ctx, u)
	})
	if errors.Is(err, store.ErrExists) {
		return domain.User{}, kmserr.IAMUserExists
	}
	s.users.drop(id)
	return u, err
}

func applyPatch(u *domain.User, p UserPatch, hash string) error {
	if p.Name != nil {
		if err := validUserName(*p.Name); err != nil {
			return err
		}
		u.Name = *p.Name
	}
	if p.Description != nil {
		if err := validDescription(*p.Description); err != nil {
			return err
		}
		u.Description = *p.Description
	}
	if p.Password != nil {
		u.PasswordHash = hash
		u.TokenEpoch++
	}
	if p.Enabled != nil && *p.Enabled == u.Disabled {
		u.Disabled = !*p.Enabled
		u.TokenEpoch++
	}
	return nil
}

// ChangePassword changes a user's own password, checking the original:
// every token of the user stops working.
func (s *Service) ChangePassword(ctx context.Context, domainID, id, original, password string) error {
	u, err := s.AccountUser(ctx, domainID, id)
	if err != nil {
		return err
	}
	ok, err := s.checkPassword(ctx, u.PasswordHash, original)
	if err != nil {
		return err
	}
	if !ok || u.PasswordHash == "" {
		return kmserr.IAMWrongPassword.Msgf("The original password is incorrect.")
	}
	if original == password {
		return kmserr.IAMWeakPassword.Msgf("The new password must be different from the old password.")
	}
	_, err = s.UpdateUser(ctx, domainID, id, UserPatch{Password: &password})
	return err
}

// DeleteUser deletes a user with its access keys and memberships. The last
// member of the admin group cannot be deleted.
func (s *Service) DeleteUser(ctx context.Context, domainID, id string) error {
	var keys []domain.Credential
	err := s.update(ctx, func(tx Tx) error {
		u, err := s.lockedUser(ctx, tx, domainID, id)
		if err != nil {
			return err
		}
		if err := s.keepAnAdmin(ctx, tx, u); err != nil {
			return err
		}
		if keys, err = tx.ListCredentials(ctx, id); err != nil {
			return err
		}
		return tx.DeleteUser(ctx, id)
	})
	if err != nil {
		return err
	}
	s.users.drop(id)
	for _, c := range keys {
		s.secrets.drop(c.AccessKey)
	}
	s.perms.reset()
	return nil
}

// lockedUser locks and reads user id of account domainID inside tx.
func (s *Service) lockedUser(ctx context.Context, tx Tx, domainID, id string) (domain.User, error) {
	if err := tx.LockUser(ctx, id); errors.Is(err, store.ErrNotFound) {
		return domain.User{}, kmserr.IAMNotFound.Msgf("Could not find user: %s.", id)
	} else if err != nil {
		return domain.User{}, err
	}
	u, err := tx.GetUser(ctx, id)
	if err == nil && u.DomainID != domainID {
		return domain.User{}, kmserr.IAMNotFound.Msgf("Could not find user: %s.", id)
	}
	return u, err
}

// keepAnAdmin refuses a change that would leave u's account without an
// enabled member of its admin group, u being about to leave it (deleted,
// disabled or removed). It locks the admin group, so that two such
// changes are decided one after the other.
func (s *Service) keepAnAdmin(ctx context.Context, tx Tx, u domain.User) error {
	g, err := adminGroup(ctx, tx, u.DomainID)
	if err != nil || g.ID == "" {
		return err
	}
	if err := tx.LockGroup(ctx, g.ID); err != nil {
		return err
	}
	members, err := tx.ListGroupMembers(ctx, g.ID)
	if err != nil {
		return err
	}
	for _, m := range members {
		if m == u.ID {
			continue
		}
		other, err := tx.GetUser(ctx, m)
		if err != nil {
			return err
		}
		if !other.Disabled {
			return nil
		}
	}
	for _, m := range members {
		if m == u.ID {
			return kmserr.IAMLastAdmin.Msgf("The last enabled member of the admin group cannot be deleted, disabled or removed from it.")
		}
	}
	return nil
}

// adminGroup returns the admin group of an account, zero if it has none.
func adminGroup(ctx context.Context, r Reader, domainID string) (domain.Group, error) {
	gs, err := r.ListGroups(ctx, domainID)
	for _, g := range gs {
		if g.Name == domain.AdminGroup {
			return g, nil
		}
	}
	return domain.Group{}, err
}

// validUserName follows Huawei IAM: 1 to 64 characters, letters, digits,
// spaces, '-', '_' and '.', not starting with a digit or a space.
func validUserName(n string) error {
	if n == "" || len(n) > maxUserName || n[0] == ' ' || n[0] >= '0' && n[0] <= '9' {
		return kmserr.IAMInvalidName.Msgf("Invalid username: 1 to %d characters, not starting with a digit.", maxUserName)
	}
	for _, r := range n {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(" -_.", r)) {
			return kmserr.IAMInvalidName.Msgf("Invalid username: only letters, digits, spaces, '-', '_' and '.'.")
		}
	}
	return nil
}

func validDescription(d string) error {
	if len([]rune(d)) > maxDescription || strings.ContainsAny(d, "@#%&<>\\$^*") {
		return kmserr.IAMInvalid.Msgf("Request parameter description is invalid: at most %d characters, without @#%%&<>\\$^*.", maxDescription)
	}
	return nil
}

// validPassword follows Huawei IAM's default password policy: 8 to 32
// characters with at least two of uppercase letters, lowercase letters,
// digits and special characters, and neither the user name nor it
// reversed.
func validPassword(user, pw string) error {
	if len(pw) < minPasswordChars || len(pw) > maxPasswordChars {
		return kmserr.IAMWeakPassword.Msgf("The password must have %d to %d characters.", minPasswordChars, maxPasswordChars)
	}
	kinds := 0
	for _, class := range []func(rune) bool{unicode.IsUpper, unicode.IsLower, unicode.IsDigit, isSpecial} {
		if strings.IndexFunc(pw, class) >= 0 {
			kinds++
		}
	}
	if kinds < 2 {
		return kmserr.IAMWeakPassword.Msgf("The password must mix at least two of uppercase letters, lowercase letters, digits and special characters.")
	}
	if user != "" && (pw == user || pw == reverse(user)) {
		return kmserr.IAMWeakPassword.Msgf("The password cannot be the user name or the user name reversed.")
	}
	return nil
}

func isSpecial(r rune) bool {
	return r < 128 && !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != ' '
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}
