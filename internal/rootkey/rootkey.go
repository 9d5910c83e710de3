// Package rootkey holds kmsd's root key: the one key under which every key
// version's material (and every other small secret) is stored wrapped.
//
// Two implementations exist behind the RootKey interface: a software key kept
// in a 0600 file (OpenFile) and a non-extractable AES-256 key inside a PKCS#11
// token (Open with Kind "pkcs11"). Both produce the same self-describing blob
// format, described at FormatV1.
package rootkey

import (
	"context"
	"errors"
	"fmt"
)

// RootKey wraps and unwraps small secrets (key material, secret keys). The
// key bytes never leave it. Implementations are safe for concurrent use.
type RootKey interface {
	// ID identifies the root key. It is stable across restarts and across
	// reopening the same key, and differs between different keys:
	// "file:<16 hex digits>" for the file key, "pkcs11:<label>" for a token key.
	ID() string
	// Wrap seals plaintext (at most MaxPlaintextSize bytes) with AES-256-GCM
	// under a fresh random 96-bit nonce, binding aad. The result is
	// self-describing (see FormatV1) and safe to store next to aad.
	Wrap(ctx context.Context, plaintext, aad []byte) ([]byte, error)
	// Unwrap reverses Wrap. Any tampering with blob, a different aad or a
	// different root key yields an error wrapping ErrUnwrap, and nothing else
	// is revealed about why. Other errors mean the key was unusable (closed,
	// cancelled context, token unreachable) and the call may be retried.
	Unwrap(ctx context.Context, blob, aad []byte) ([]byte, error)
	// Close releases the key. Later Wrap/Unwrap calls return ErrClosed.
	// Close is idempotent and waits for calls in flight to finish.
	Close() error
}

var (
	// ErrUnwrap is the single opaque error for a blob that does not
	// authenticate: tampered, truncated, unknown format, wrong aad or wrong key.
	ErrUnwrap = errors.New("rootkey: unwrap failed")
	// ErrInsecurePermissions is returned by OpenFile when root.key can be
	// accessed by group or others.
	ErrInsecurePermissions = errors.New("rootkey: root key file permissions are looser than 0600")
	// ErrClosed is returned by Wrap and Unwrap after Close.
	ErrClosed = errors.New("rootkey: root key is closed")
)

const (
	// FormatV1 is the first byte of every blob: FormatV1 || nonce (12 bytes)
	// || AES-256-GCM ciphertext || tag (16 bytes). The GCM additional data is
	// FormatV1 || aad, so the format byte is authenticated as well.
	FormatV1 byte = 1
	// MaxPlaintextSize bounds what Wrap accepts; root-wrapped secrets are small.
	MaxPlaintextSize = 1 << 20

	keySize   = 32
	nonceSize = 12
	tagSize   = 16
	overhead  = 1 + nonceSize + tagSize
)

// Config selects a root key implementation.
type Config struct {
	// Kind is "file" (the default when empty) or "pkcs11".
	Kind string
	// Dir holds root.key for Kind "file".
	Dir string
	// MustExist makes a missing root.key an error (wrapping fs.ErrNotExist)
	// instead of creating one: for a store that already holds keys wrapped
	// under some root key, a new one would decrypt none of them.
	MustExist bool
	// PKCS11URI is an RFC 7512 URI for Kind "pkcs11", for example
	// "pkcs11:token=kmsd;object=kmsd-root?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=/etc/kmsd/pin".
	// Path attributes: token, serial, slot-id (select the token), object
	// (the key's CKA_LABEL, required), id (CKA_ID), type (must be secret-key).
	// Query attributes: module-path (required), pin-source (a file holding
	// the user PIN) or pin-value, and create=1 to generate the key on the
	// token when it does not exist yet.
	PKCS11URI string
}

// Open opens the root key that cfg selects. The caller must Close it.
func Open(cfg Config) (RootKey, error) {
	switch cfg.Kind {
	case "", "file":
		if cfg.Dir == "" {
			return nil, errors.New("rootkey: file root key needs a directory")
		}
		if cfg.MustExist {
			return openFile(cfg.Dir, false)
		}
		return OpenFile(cfg.Dir)
	case "pkcs11":
		if cfg.PKCS11URI == "" {
			return nil, errors.New("rootkey: pkcs11 root key needs a PKCS#11 URI")
		}
		return openPKCS11(cfg.PKCS11URI)
	default:
		return nil, fmt.Errorf("rootkey: unknown root key kind %q (want \"file\" or \"pkcs11\")", cfg.Kind)
	}
}

// gcmAAD is the additional data actually given to GCM: the format byte
// followed by the caller's aad.
func gcmAAD(aad []byte) []byte {
	out := make([]byte, 0, 1+len(aad))
	return append(append(out, FormatV1), aad...)
}

// checkWrap validates Wrap arguments common to all implementations.
func checkWrap(ctx context.Context, plaintext []byte) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("rootkey: wrap: %w", err)
	}
	if len(plaintext) > MaxPlaintextSize {
		return fmt.Errorf("rootkey: wrap: plaintext is %d bytes, limit is %d", len(plaintext), MaxPlaintextSize)
	}
	return nil
}

// parseBlob splits a blob into nonce and ciphertext||tag. It returns
// ErrUnwrap for anything that cannot be a FormatV1 blob.
func parseBlob(ctx context.Context, blob []byte) (nonce, sealed []byte, err error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("rootkey: unwrap: %w", err)
	}
	if len(blob) < overhead || len(blob) > overhead+MaxPlaintextSize || blob[0] != FormatV1 {
		return nil, nil, ErrUnwrap
	}
	return blob[1 : 1+nonceSize], blob[1+nonceSize:], nil
}

// assembleBlob builds FormatV1 || nonce || sealed.
func assembleBlob(nonce, sealed []byte) []byte {
	out := make([]byte, 0, 1+len(nonce)+len(sealed))
	out = append(out, FormatV1)
	out = append(out, nonce...)
	return append(out, sealed...)
}
