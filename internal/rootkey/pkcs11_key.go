//go:build cgo && !nopkcs11

package rootkey

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"sync"

	"github.com/miekg/pkcs11"
)

// p11PoolSize bounds the sessions (and so the concurrent operations) that one
// pkcs11 root key uses besides its anchor session.
const p11PoolSize = 4

// p11Key is an AES-256 key inside a PKCS#11 token. Encryption happens on the
// token; the key is generated sensitive and non-extractable.
type p11Key struct {
	id  string
	mod *p11Module
	p11 P11
	key pkcs11.ObjectHandle

	// anchor is a read-write session held open for the key's lifetime: it
	// keeps the application logged in (PKCS#11 logs out when the last
	// session closes), which keeps the private key object visible.
	anchor    pkcs11.SessionHandle
	hasAnchor bool
	slot      uint

	mu     sync.RWMutex // held shared by operations, exclusively by Close
	closed bool
	sem    chan struct{} // one token per session in use
	idleMu sync.Mutex
	idle   []pkcs11.SessionHandle
}

// openPKCS11 opens the token key that uri selects; see Config.PKCS11URI.
func openPKCS11(uri string) (RootKey, error) {
	u, err := parseP11URI(uri)
	if err != nil {
		return nil, err
	}
	pin, err := u.pin()
	if err != nil {
		return nil, err
	}
	mod, err := acquireModule(u.modulePath)
	if err != nil {
		return nil, err
	}
	k := &p11Key{id: "pkcs11:" + u.object, mod: mod, p11: mod.p11, sem: make(chan struct{}, p11PoolSize)}
	if err := k.init(u, pin); err != nil {
		k.Close()
		return nil, err
	}
	return k, nil
}

func (k *p11Key) init(u *p11URI, pin string) error {
	slot, err := findSlot(k.p11, u)
	if err != nil {
		return err
	}
	k.slot = slot
	k.anchor, err = k.p11.OpenSession(slot, pkcs11.CKF_SERIAL_SESSION|pkcs11.CKF_RW_SESSION)
	if err != nil {
		return fmt.Errorf("rootkey: pkcs11: open session: %w", err)
	}
	k.hasAnchor = true
	if pin != "" {
		err := k.p11.Login(k.anchor, pkcs11.CKU_USER, pin)
		if err != nil && !errors.Is(err, pkcs11.Error(pkcs11.CKR_USER_ALREADY_LOGGED_IN)) {
			return fmt.Errorf("rootkey: pkcs11: login: %w", err)
		}
	}
	k.key, err = findOrCreateKey(k.p11, k.anchor, u)
	return err
}

func (k *p11Key) ID() string { return k.id }

// getSession waits (respecting ctx) for a free pool slot and returns an idle
// session or a newly opened one.
func (k *p11Key) getSession(ctx context.Context) (pkcs11.SessionHandle, error) {
	select {
	case k.sem <- struct{}{}:
	case <-ctx.Done():
		return 0, fmt.Errorf("rootkey: %w", ctx.Err())
	}
	k.idleMu.Lock()
	if n := len(k.idle); n > 0 {
		sh := k.idle[n-1]
		k.idle = k.idle[:n-1]
		k.idleMu.Unlock()
		return sh, nil
	}
	k.idleMu.Unlock()
	sh, err := k.p11.OpenSession(k.slot, pkcs11.CKF_SERIAL_SESSION)
	if err != nil {
		<-k.sem
		return 0, fmt.Errorf("rootkey: pkcs11: open session: %w", err)
	}
	return sh, nil
}

// putSession returns a session to the pool, or closes it if the operation
// failed: a failed call may leave the session in an unknown state.
func (k *p11Key) putSession(sh pkcs11.SessionHandle, ok bool) {
	if ok {
		k.idleMu.Lock()
		k.idle = append(k.idle, sh)
		k.idleMu.Unlock()
	} else {
		_ = k.p11.CloseSession(sh)
	}
	<-k.sem
}

func (k *p11Key) Wrap(ctx context.Context, plaintext, aad []byte) ([]byte, error) {
	if err := checkWrap(ctx, plaintext); err != nil {
		return nil, err
	}
	k.mu.RLock()
	defer k.mu.RUnlock()
	if k.closed {
		return nil, ErrClosed
	}
	iv := make([]byte, nonceSize)
	if _, err := rand.Read(iv); err != nil {
		return nil, fmt.Errorf("rootkey: wrap: %w", err)
	}
	sh, err := k.getSession(ctx)
	if err != nil {
		return nil, err
	}
	usedIV, sealed, err := k.p11.EncryptGCM(sh, k.key, iv, gcmAAD(aad), tagSize*8, plaintext)
	k.putSession(sh, err == nil)
	if err != nil {
		return nil, fmt.Errorf("rootkey: pkcs11: encrypt: %w", err)
	}
	if len(usedIV) != nonceSize || len(sealed) != len(plaintext)+tagSize {
		return nil, fmt.Errorf("rootkey: pkcs11: token returned a %d-byte IV and %d-byte ciphertext for %d bytes", len(usedIV), len(sealed), len(plaintext))
	}
	return assembleBlob(usedIV, sealed), nil
}

func (k *p11Key) Unwrap(ctx context.Context, blob, aad []byte) ([]byte, error) {
	nonce, sealed, err := parseBlob(ctx, blob)
	if err != nil {
		return nil, err
	}
	k.mu.RLock()
	defer k.mu.RUnlock()
	if k.closed {
		return nil, ErrClosed
	}
	sh, err := k.getSession(ctx)
	if err != nil {
		return nil, err
	}
	pt, err := k.p11.DecryptGCM(sh, k.key, nonce, gcmAAD(aad), tagSize*8, sealed)
	k.putSession(sh, err == nil)
	if err != nil {
		if tokenUnavailable(err) {
			return nil, fmt.Errorf("rootkey: pkcs11: decrypt: %w", err)
		}
		return nil, ErrUnwrap
	}
	return pt, nil
}

// tokenUnavailable reports whether a decrypt error means the token or
// session is unusable, rather than the blob not authenticating (ErrUnwrap);
// those are worth a retry. It is an allow-list because tokens disagree on the
// code for a bad tag: SoftHSM2 2.6 returns CKR_GENERAL_ERROR, others
// CKR_ENCRYPTED_DATA_INVALID or CKR_AEAD_DECRYPT_FAILED.
func tokenUnavailable(err error) bool {
	var code pkcs11.Error
	if !errors.As(err, &code) {
		return false
	}
	switch code {
	case pkcs11.CKR_HOST_MEMORY, pkcs11.CKR_DEVICE_ERROR, pkcs11.CKR_DEVICE_MEMORY,
		pkcs11.CKR_DEVICE_REMOVED, pkcs11.CKR_TOKEN_NOT_PRESENT, pkcs11.CKR_SESSION_CLOSED,
		pkcs11.CKR_SESSION_HANDLE_INVALID, pkcs11.CKR_USER_NOT_LOGGED_IN,
		pkcs11.CKR_CRYPTOKI_NOT_INITIALIZED, pkcs11.CKR_KEY_HANDLE_INVALID,
		pkcs11.CKR_OPERATION_ACTIVE, pkcs11.CKR_FUNCTION_CANCELED:
		return true
	}
	return false
}

// Close closes every session (which logs out once no other root key shares
// the token) and finalizes the library when no other root key uses it.
func (k *p11Key) Close() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.closed {
		return nil
	}
	k.closed = true
	for _, sh := range k.idle {
		_ = k.p11.CloseSession(sh)
	}
	k.idle = nil
	if k.hasAnchor {
		_ = k.p11.CloseSession(k.anchor)
	}
	k.mod.release()
	return nil
}
