package service

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
)

// NewPIN returns a create-pin PIN: 16 bytes from crypto/rand as 32
// upper-case hex characters. kmsd has no level-4 keystores, so the PIN is an
// opaque random token that the pin/pin_type fields of other actions accept
// and ignore (docs/crypto-asymmetric.md §3.8). It is never stored.
func NewPIN() string {
	b := make([]byte, 16)
	rand.Read(b)
	return strings.ToUpper(hex.EncodeToString(b))
}
