//go:build cgo && !nopkcs11

package rootkey

import (
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"
	"sync"

	"github.com/miekg/pkcs11"
)

// P11 is the part of the PKCS#11 API that the pkcs11 root key uses. All of
// it is *pkcs11.Ctx (github.com/miekg/pkcs11) except EncryptGCM/DecryptGCM,
// which fold C_EncryptInit+C_Encrypt (C_DecryptInit+C_Decrypt) with a
// CKM_AES_GCM mechanism into one call, because miekg/pkcs11 keeps GCM
// parameters in unexported fields that a pure-Go fake could not read.
// Implementations must allow concurrent calls on different sessions.
type P11 interface {
	Initialize() error
	Finalize() error
	Destroy()
	GetSlotList(tokenPresent bool) ([]uint, error)
	GetTokenInfo(slotID uint) (pkcs11.TokenInfo, error)
	OpenSession(slotID uint, flags uint) (pkcs11.SessionHandle, error)
	CloseSession(sh pkcs11.SessionHandle) error
	Login(sh pkcs11.SessionHandle, userType uint, pin string) error
	FindObjectsInit(sh pkcs11.SessionHandle, temp []*pkcs11.Attribute) error
	FindObjects(sh pkcs11.SessionHandle, max int) ([]pkcs11.ObjectHandle, bool, error)
	FindObjectsFinal(sh pkcs11.SessionHandle) error
	GetAttributeValue(sh pkcs11.SessionHandle, o pkcs11.ObjectHandle, a []*pkcs11.Attribute) ([]*pkcs11.Attribute, error)
	GenerateKey(sh pkcs11.SessionHandle, m []*pkcs11.Mechanism, temp []*pkcs11.Attribute) (pkcs11.ObjectHandle, error)
	// EncryptGCM returns the IV actually used (a token may replace iv with
	// its own) and ciphertext||tag, with a tag of tagBits bits.
	EncryptGCM(sh pkcs11.SessionHandle, key pkcs11.ObjectHandle, iv, aad []byte, tagBits int, plaintext []byte) (usedIV, sealed []byte, err error)
	// DecryptGCM authenticates and decrypts ciphertext||tag.
	DecryptGCM(sh pkcs11.SessionHandle, key pkcs11.ObjectHandle, iv, aad []byte, tagBits int, sealed []byte) ([]byte, error)
}

// newP11 loads the PKCS#11 library at modulePath. Tests replace it with a
// constructor of a pure-Go fake.
var newP11 = func(modulePath string) (P11, error) {
	ctx := pkcs11.New(modulePath)
	if ctx == nil {
		return nil, fmt.Errorf("rootkey: pkcs11: cannot load module %s", modulePath)
	}
	return p11Ctx{ctx}, nil
}

// p11Ctx adapts *pkcs11.Ctx to P11.
type p11Ctx struct{ *pkcs11.Ctx }

func (c p11Ctx) Initialize() error { return c.Ctx.Initialize() }

func (c p11Ctx) EncryptGCM(sh pkcs11.SessionHandle, key pkcs11.ObjectHandle, iv, aad []byte, tagBits int, plaintext []byte) ([]byte, []byte, error) {
	params := pkcs11.NewGCMParams(iv, aad, tagBits)
	defer params.Free()
	mech := []*pkcs11.Mechanism{pkcs11.NewMechanism(pkcs11.CKM_AES_GCM, params)}
	if err := c.EncryptInit(sh, mech, key); err != nil {
		return nil, nil, err
	}
	sealed, err := c.Encrypt(sh, plaintext)
	if err != nil {
		return nil, nil, err
	}
	if used := params.IV(); len(used) > 0 {
		iv = used
	}
	return iv, sealed, nil
}

func (c p11Ctx) DecryptGCM(sh pkcs11.SessionHandle, key pkcs11.ObjectHandle, iv, aad []byte, tagBits int, sealed []byte) ([]byte, error) {
	params := pkcs11.NewGCMParams(iv, aad, tagBits)
	defer params.Free()
	mech := []*pkcs11.Mechanism{pkcs11.NewMechanism(pkcs11.CKM_AES_GCM, params)}
	if err := c.DecryptInit(sh, mech, key); err != nil {
		return nil, err
	}
	return c.Decrypt(sh, sealed)
}

// A PKCS#11 library may be initialized only once per process, so loaded
// modules are shared and reference counted: the last Close finalizes.
var modules = struct {
	sync.Mutex
	m map[string]*p11Module
}{m: map[string]*p11Module{}}

type p11Module struct {
	name     string
	p11      P11
	refs     int
	finalize bool // false if someone else in the process initialized it
}

func acquireModule(path string) (*p11Module, error) {
	name := path
	if abs, err := filepath.EvalSymlinks(path); err == nil {
		name = abs
	}
	modules.Lock()
	defer modules.Unlock()
	if m := modules.m[name]; m != nil {
		m.refs++
		return m, nil
	}
	p, err := newP11(path)
	if err != nil {
		return nil, err
	}
	m := &p11Module{name: name, p11: p, refs: 1, finalize: true}
	if err := p.Initialize(); errors.Is(err, pkcs11.Error(pkcs11.CKR_CRYPTOKI_ALREADY_INITIALIZED)) {
		m.finalize = false
	} else if err != nil {
		p.Destroy()
		return nil, fmt.Errorf("rootkey: pkcs11: initialize %s: %w", path, err)
	}
	modules.m[name] = m
	return m, nil
}

func (m *p11Module) release() {
	modules.Lock()
	defer modules.Unlock()
	if m.refs--; m.refs > 0 {
		return
	}
	delete(modules.m, m.name)
	if m.finalize {
		_ = m.p11.Finalize()
	}
	m.p11.Destroy()
}

// findSlot returns the one slot whose token matches the URI's selectors.
func findSlot(p P11, u *p11URI) (uint, error) {
	slots, err := p.GetSlotList(true)
	if err != nil {
		return 0, fmt.Errorf("rootkey: pkcs11: list slots: %w", err)
	}
	var found []uint
	for _, s := range slots {
		if u.hasSlotID && s != u.slotID {
			continue
		}
		ti, err := p.GetTokenInfo(s)
		if err != nil {
			return 0, fmt.Errorf("rootkey: pkcs11: token info of slot %d: %w", s, err)
		}
		if (u.token == "" || trimPadded(ti.Label) == u.token) && (u.serial == "" || trimPadded(ti.SerialNumber) == u.serial) {
			found = append(found, s)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return 0, fmt.Errorf("rootkey: pkcs11: no token matches token=%q serial=%q", u.token, u.serial)
	default:
		return 0, fmt.Errorf("rootkey: pkcs11: %d tokens match, add token=, serial= or slot-id= to the URI", len(found))
	}
}

func trimPadded(s string) string {
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == 0) {
		s = s[:len(s)-1]
	}
	return s
}

// keyTemplate selects (and, with generate, creates) the root key object.
func keyTemplate(u *p11URI, generate bool) []*pkcs11.Attribute {
	t := []*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_SECRET_KEY),
		pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, pkcs11.CKK_AES),
		pkcs11.NewAttribute(pkcs11.CKA_LABEL, u.object),
		pkcs11.NewAttribute(pkcs11.CKA_TOKEN, true),
	}
	if u.id != nil {
		t = append(t, pkcs11.NewAttribute(pkcs11.CKA_ID, u.id))
	}
	if generate {
		t = append(t,
			pkcs11.NewAttribute(pkcs11.CKA_VALUE_LEN, keySize),
			pkcs11.NewAttribute(pkcs11.CKA_PRIVATE, true),
			pkcs11.NewAttribute(pkcs11.CKA_SENSITIVE, true),
			pkcs11.NewAttribute(pkcs11.CKA_EXTRACTABLE, false),
			pkcs11.NewAttribute(pkcs11.CKA_ENCRYPT, true),
			pkcs11.NewAttribute(pkcs11.CKA_DECRYPT, true),
			pkcs11.NewAttribute(pkcs11.CKA_WRAP, false),
			pkcs11.NewAttribute(pkcs11.CKA_UNWRAP, false),
		)
	}
	return t
}

// findOrCreateKey returns the handle of the root key, generating it on the
// token when it is absent and u.create is set. Two processes creating the
// same label at once would leave two keys; later opens then fail as ambiguous.
func findOrCreateKey(p P11, sh pkcs11.SessionHandle, u *p11URI) (pkcs11.ObjectHandle, error) {
	if err := p.FindObjectsInit(sh, keyTemplate(u, false)); err != nil {
		return 0, fmt.Errorf("rootkey: pkcs11: find key: %w", err)
	}
	objs, _, err := p.FindObjects(sh, 2)
	if ferr := p.FindObjectsFinal(sh); err == nil {
		err = ferr
	}
	if err != nil {
		return 0, fmt.Errorf("rootkey: pkcs11: find key: %w", err)
	}
	var key pkcs11.ObjectHandle
	switch {
	case len(objs) > 1:
		return 0, fmt.Errorf("rootkey: pkcs11: more than one AES key labelled %q", u.object)
	case len(objs) == 1:
		key = objs[0]
	case !u.create:
		return 0, fmt.Errorf("rootkey: pkcs11: no AES key labelled %q on the token (add create=1 to the URI to generate one)", u.object)
	default:
		mech := []*pkcs11.Mechanism{pkcs11.NewMechanism(pkcs11.CKM_AES_KEY_GEN, nil)}
		if key, err = p.GenerateKey(sh, mech, keyTemplate(u, true)); err != nil {
			return 0, fmt.Errorf("rootkey: pkcs11: generate key %q: %w", u.object, err)
		}
	}
	attrs, err := p.GetAttributeValue(sh, key, []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_VALUE_LEN, nil)})
	if err != nil {
		return 0, fmt.Errorf("rootkey: pkcs11: key %q: reading CKA_VALUE_LEN: %w", u.object, err)
	}
	if len(attrs) != 1 {
		return 0, fmt.Errorf("rootkey: pkcs11: key %q: token returned no CKA_VALUE_LEN", u.object)
	}
	if n := decodeULong(attrs[0].Value); n != keySize {
		return 0, fmt.Errorf("rootkey: pkcs11: key %q is %d bytes, want an AES-256 key", u.object, n)
	}
	return key, nil
}

// decodeULong decodes a CK_ULONG attribute value (native byte order).
func decodeULong(b []byte) uint64 {
	switch len(b) {
	case 8:
		return binary.NativeEndian.Uint64(b)
	case 4:
		return uint64(binary.NativeEndian.Uint32(b))
	}
	return 0
}
