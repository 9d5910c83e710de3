package iam

import (
	"context"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
)

// pbkdf2Iterations follows OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256.
const pbkdf2Iterations = 600000

// deriveKey is PBKDF2-HMAC-SHA256, the one place passwords are hashed (a
// variable so that tests can count the hashes a login does).
var deriveKey = func(pw string, salt []byte, iter, keyLen int) ([]byte, error) {
	return pbkdf2.Key(sha256.New, pw, salt, iter, keyLen)
}

// dummyHash (16-byte salt, 32-byte hash: the shape hashPassword stores) is
// checked instead of a stored hash when the account or user of a login does
// not exist, so that such logins cost the same PBKDF2 work as a
// wrong password and answer no faster. No password is accepted against it:
// Login refuses unknown users whatever the check says.
var dummyHash = fmt.Sprintf("$pbkdf2-sha256$i=%d$%s$%s", pbkdf2Iterations,
	"a21zZC1kdW1teS1zYWx0IQ", "a21zZC1kdW1teS1oYXNoLW1hdGNoZXMtbm90aGluZyE")

// hashPassword returns a PHC-style string
// "$pbkdf2-sha256$i=<n>$<salt b64>$<hash b64>". PBKDF2 from the standard
// library is used so that no extra dependency is needed for a rarely used
// path (password logins for tokens).
func hashPassword(pw string) (string, error) {
	salt := make([]byte, 16)
	rand.Read(salt)
	h, err := deriveKey(pw, salt, pbkdf2Iterations, 32)
	if err != nil {
		return "", fmt.Errorf("iam: hash password: %w", err)
	}
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$pbkdf2-sha256$i=%d$%s$%s", pbkdf2Iterations, enc.EncodeToString(salt), enc.EncodeToString(h)), nil
}

// checkPassword reports whether pw matches the stored hash, in constant time
// with respect to the hash value.
func checkPassword(stored, pw string) bool {
	parts := strings.Split(stored, "$")
	if len(parts) != 5 || parts[1] != "pbkdf2-sha256" || !strings.HasPrefix(parts[2], "i=") {
		return false
	}
	iter, err := strconv.Atoi(parts[2][2:])
	if err != nil || iter < 1 || iter > 10_000_000 {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[3])
	want, err2 := enc.DecodeString(parts[4])
	if err1 != nil || err2 != nil {
		return false
	}
	got, err := deriveKey(pw, salt, iter, len(want))
	return err == nil && subtle.ConstantTimeCompare(got, want) == 1
}

// hashPassword hashes pw under the gate for expensive operations.
func (s *Service) hashPassword(ctx context.Context, pw string) (hash string, err error) {
	err = s.gate.Do(ctx, func() error {
		hash, err = hashPassword(pw)
		return err
	})
	return hash, err
}

// checkPassword checks pw against stored under the gate for expensive
// operations; the error is limit.ErrBusy when no slot freed in time.
func (s *Service) checkPassword(ctx context.Context, stored, pw string) (ok bool, err error) {
	err = s.gate.Do(ctx, func() error {
		ok = checkPassword(stored, pw)
		return nil
	})
	return ok, err
}
