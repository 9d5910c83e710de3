// Package auth authenticates API requests: AK/SK signatures (verified by
// package sigv against secrets from package iam) and IAM tokens signed by
// kmsd itself, and decides which project a request may act in.
package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Token errors.
var (
	ErrTokenInvalid = errors.New("auth: invalid token")
	// ErrTokenMalformed is the ErrTokenInvalid of a string not shaped like
	// a kmsd token at all.
	ErrTokenMalformed = fmt.Errorf("%w: not shaped like a token", ErrTokenInvalid)
	ErrTokenExpired   = errors.New("auth: token expired")
)

// TokenTTL is how long an issued token is valid by default, as on Huawei
// IAM (the token_ttl setting changes it).
const TokenTTL = 24 * time.Hour

// Claims are what a token asserts. Tokens are project-scoped (ProjectID set)
// or account-scoped.
type Claims struct {
	UserID      string `json:"uid"`
	UserName    string `json:"un"`
	DomainID    string `json:"did"`
	DomainName  string `json:"dn"`
	ProjectID   string `json:"pid,omitempty"`
	ProjectName string `json:"pn,omitempty"`
	// Epoch is the user's TokenEpoch when the token was issued.
	Epoch     int64 `json:"ep,omitempty"`
	IssuedAt  int64 `json:"iat"` // Unix seconds
	ExpiresAt int64 `json:"exp"` // Unix seconds
}

// Tokens mints and verifies self-contained tokens: a version prefix, the
// base64url JSON claims and an HMAC-SHA256 over both. Any node holding the
// same key verifies them without a shared session table.
type Tokens struct{ key []byte }

const tokenPrefix = "kmsd1."

// strictB64 rejects non-canonical encodings, so a token has exactly one
// accepted spelling.
var strictB64 = base64.RawURLEncoding.Strict()

// NewTokens returns a codec using a copy of key (32 bytes).
func NewTokens(key []byte) *Tokens { return &Tokens{key: append([]byte(nil), key...)} }

// Mint returns a token for c.
func (t *Tokens) Mint(c Claims) string {
	body, _ := json.Marshal(c) // plain struct: cannot fail
	payload := tokenPrefix + base64.RawURLEncoding.EncodeToString(body)
	return payload + "." + base64.RawURLEncoding.EncodeToString(t.mac(payload))
}

func (t *Tokens) mac(payload string) []byte {
	m := hmac.New(sha256.New, t.key)
	m.Write([]byte(payload))
	return m.Sum(nil)
}

// Verify checks a token's MAC and expiry at now and returns its claims.
// Errors are ErrTokenInvalid (ErrTokenMalformed when tok is not shaped
// like a kmsd token) or ErrTokenExpired.
func (t *Tokens) Verify(tok string, now time.Time) (Claims, error) {
	i := strings.LastIndexByte(tok, '.')
	if !strings.HasPrefix(tok, tokenPrefix) || i < len(tokenPrefix) {
		return Claims{}, ErrTokenMalformed
	}
	sig, err := strictB64.DecodeString(tok[i+1:])
	if err != nil || !hmac.Equal(sig, t.mac(tok[:i])) {
		return Claims{}, ErrTokenInvalid
	}
	body, err := strictB64.DecodeString(tok[len(tokenPrefix):i])
	var c Claims
	if err != nil || json.Unmarshal(body, &c) != nil {
		return Claims{}, ErrTokenInvalid
	}
	if now.Unix() >= c.ExpiresAt {
		return Claims{}, ErrTokenExpired
	}
	return c, nil
}
