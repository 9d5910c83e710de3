//go:build cgo && !nopkcs11

package rootkey

import (
	"bytes"
	"crypto/rand"
	"strings"
	"sync"

	"github.com/miekg/pkcs11"
)

// fakeP11 is a pure-Go PKCS#11 token good enough for the pkcs11 root key:
// slots with one token each, PIN login that ends with the last session,
// private objects hidden until login, AES key generation and AES-GCM.
type fakeP11 struct {
	mu          sync.Mutex
	initialized bool
	inits       int
	down        bool // every call fails with CKR_DEVICE_REMOVED
	tokens      []*fakeToken
	sessions    map[pkcs11.SessionHandle]*fakeSession
	objects     map[pkcs11.ObjectHandle]*fakeObject
	next        uint
}

type fakeToken struct {
	label, serial, pin string
	loggedIn           bool
}

type fakeObject struct {
	slot  uint
	attrs map[uint][]byte
}

func (o *fakeObject) flag(typ uint) bool {
	v := o.attrs[typ]
	return len(v) == 1 && v[0] == 1
}

type fakeSession struct {
	slot    uint
	rw      bool
	finding bool
	found   []pkcs11.ObjectHandle
}

func newFakeP11(tokens ...*fakeToken) *fakeP11 {
	return &fakeP11{tokens: tokens, sessions: map[pkcs11.SessionHandle]*fakeSession{}, objects: map[pkcs11.ObjectHandle]*fakeObject{}}
}

func ckr(code uint) error { return pkcs11.Error(code) }

// addKey puts an AES key on the token in slot.
func (f *fakeP11) addKey(slot uint, label string, size int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.next++
	f.objects[pkcs11.ObjectHandle(f.next)] = &fakeObject{slot: slot, attrs: f.attrs(keyTemplate(&p11URI{object: label}, true), size)}
}

func (f *fakeP11) attrs(temp []*pkcs11.Attribute, size int) map[uint][]byte {
	m := map[uint][]byte{}
	for _, a := range temp {
		m[a.Type] = bytes.Clone(a.Value)
	}
	m[pkcs11.CKA_VALUE_LEN] = pkcs11.NewAttribute(0, size).Value
	m[pkcs11.CKA_VALUE] = make([]byte, size)
	rand.Read(m[pkcs11.CKA_VALUE])
	return m
}

// session checks the library state and returns the session.
func (f *fakeP11) session(sh pkcs11.SessionHandle) (*fakeSession, error) {
	switch s := f.sessions[sh]; {
	case f.down:
		return nil, ckr(pkcs11.CKR_DEVICE_REMOVED)
	case !f.initialized:
		return nil, ckr(pkcs11.CKR_CRYPTOKI_NOT_INITIALIZED)
	case s == nil:
		return nil, ckr(pkcs11.CKR_SESSION_HANDLE_INVALID)
	default:
		return s, nil
	}
}

func (f *fakeP11) visible(s *fakeSession, o *fakeObject) bool {
	return o != nil && o.slot == s.slot && (!o.flag(pkcs11.CKA_PRIVATE) || f.tokens[s.slot].loggedIn)
}

func (f *fakeP11) Initialize() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.initialized {
		return ckr(pkcs11.CKR_CRYPTOKI_ALREADY_INITIALIZED)
	}
	f.initialized = true
	f.inits++
	return nil
}

func (f *fakeP11) Finalize() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.initialized {
		return ckr(pkcs11.CKR_CRYPTOKI_NOT_INITIALIZED)
	}
	f.initialized = false
	clear(f.sessions)
	for _, t := range f.tokens {
		t.loggedIn = false
	}
	return nil
}

func (f *fakeP11) Destroy() {}

func (f *fakeP11) GetSlotList(bool) ([]uint, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var slots []uint
	for i := range f.tokens {
		slots = append(slots, uint(i))
	}
	return slots, nil
}

func (f *fakeP11) GetTokenInfo(slot uint) (pkcs11.TokenInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	t := f.tokens[slot]
	pad := func(s string, n int) string { return s + strings.Repeat(" ", n-len(s)) }
	return pkcs11.TokenInfo{Label: pad(t.label, 32), SerialNumber: pad(t.serial, 16), Flags: pkcs11.CKF_LOGIN_REQUIRED}, nil
}

func (f *fakeP11) OpenSession(slot uint, flags uint) (pkcs11.SessionHandle, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.initialized || f.down || int(slot) >= len(f.tokens) || flags&pkcs11.CKF_SERIAL_SESSION == 0 {
		return 0, ckr(pkcs11.CKR_GENERAL_ERROR)
	}
	f.next++
	f.sessions[pkcs11.SessionHandle(f.next)] = &fakeSession{slot: slot, rw: flags&pkcs11.CKF_RW_SESSION != 0}
	return pkcs11.SessionHandle(f.next), nil
}

func (f *fakeP11) CloseSession(sh pkcs11.SessionHandle) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.session(sh)
	if err != nil {
		return err
	}
	delete(f.sessions, sh)
	for _, o := range f.sessions {
		if o.slot == s.slot {
			return nil
		}
	}
	f.tokens[s.slot].loggedIn = false // last session closed: logged out
	return nil
}

func (f *fakeP11) Login(sh pkcs11.SessionHandle, userType uint, pin string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.session(sh)
	if err != nil {
		return err
	}
	switch t := f.tokens[s.slot]; {
	case t.loggedIn:
		return ckr(pkcs11.CKR_USER_ALREADY_LOGGED_IN)
	case userType != pkcs11.CKU_USER || pin != t.pin:
		return ckr(pkcs11.CKR_PIN_INCORRECT)
	default:
		t.loggedIn = true
		return nil
	}
}
