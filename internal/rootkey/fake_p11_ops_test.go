//go:build cgo && !nopkcs11

package rootkey

// Object, search and crypto operations of fakeP11 (see fake_p11_test.go).

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"slices"

	"github.com/miekg/pkcs11"
)

func (f *fakeP11) FindObjectsInit(sh pkcs11.SessionHandle, temp []*pkcs11.Attribute) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.session(sh)
	if err != nil {
		return err
	}
	if s.finding {
		return ckr(pkcs11.CKR_OPERATION_ACTIVE)
	}
	s.finding, s.found = true, nil
	for h, o := range f.objects {
		if f.visible(s, o) && !slices.ContainsFunc(temp, func(a *pkcs11.Attribute) bool { return !bytes.Equal(o.attrs[a.Type], a.Value) }) {
			s.found = append(s.found, h)
		}
	}
	slices.Sort(s.found)
	return nil
}

func (f *fakeP11) FindObjects(sh pkcs11.SessionHandle, max int) ([]pkcs11.ObjectHandle, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.session(sh)
	if err != nil || !s.finding {
		return nil, false, ckr(pkcs11.CKR_OPERATION_NOT_INITIALIZED)
	}
	n := min(max, len(s.found))
	out := s.found[:n]
	s.found = s.found[n:]
	return out, false, nil
}

func (f *fakeP11) FindObjectsFinal(sh pkcs11.SessionHandle) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.session(sh)
	if err != nil {
		return err
	}
	s.finding = false
	return nil
}

func (f *fakeP11) GetAttributeValue(sh pkcs11.SessionHandle, oh pkcs11.ObjectHandle, temp []*pkcs11.Attribute) ([]*pkcs11.Attribute, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.session(sh)
	if err != nil {
		return nil, err
	}
	o := f.objects[oh]
	if !f.visible(s, o) {
		return nil, ckr(pkcs11.CKR_OBJECT_HANDLE_INVALID)
	}
	var out []*pkcs11.Attribute
	for _, a := range temp {
		v, ok := o.attrs[a.Type]
		if a.Type == pkcs11.CKA_VALUE && (o.flag(pkcs11.CKA_SENSITIVE) || !o.flag(pkcs11.CKA_EXTRACTABLE)) {
			return nil, ckr(pkcs11.CKR_ATTRIBUTE_SENSITIVE)
		} else if !ok {
			return nil, ckr(pkcs11.CKR_ATTRIBUTE_TYPE_INVALID)
		}
		out = append(out, pkcs11.NewAttribute(a.Type, bytes.Clone(v)))
	}
	return out, nil
}

func (f *fakeP11) GenerateKey(sh pkcs11.SessionHandle, m []*pkcs11.Mechanism, temp []*pkcs11.Attribute) (pkcs11.ObjectHandle, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.session(sh)
	switch {
	case err != nil:
		return 0, err
	case !s.rw:
		return 0, ckr(pkcs11.CKR_SESSION_READ_ONLY)
	case !f.tokens[s.slot].loggedIn:
		return 0, ckr(pkcs11.CKR_USER_NOT_LOGGED_IN)
	case len(m) != 1 || m[0].Mechanism != pkcs11.CKM_AES_KEY_GEN:
		return 0, ckr(pkcs11.CKR_MECHANISM_INVALID)
	}
	i := slices.IndexFunc(temp, func(a *pkcs11.Attribute) bool { return a.Type == pkcs11.CKA_VALUE_LEN })
	if i < 0 {
		return 0, ckr(pkcs11.CKR_TEMPLATE_INCOMPLETE)
	}
	attrs := f.attrs(temp, int(decodeULong(temp[i].Value)))
	f.next++
	f.objects[pkcs11.ObjectHandle(f.next)] = &fakeObject{slot: s.slot, attrs: attrs}
	return pkcs11.ObjectHandle(f.next), nil
}

// gcm returns an AEAD for a visible key object allowed to do op.
func (f *fakeP11) gcm(sh pkcs11.SessionHandle, key pkcs11.ObjectHandle, op uint, iv []byte, tagBits int) (cipher.AEAD, error) {
	s, err := f.session(sh)
	if err != nil {
		return nil, err
	}
	o := f.objects[key]
	if !f.visible(s, o) || !o.flag(op) {
		return nil, ckr(pkcs11.CKR_KEY_HANDLE_INVALID)
	}
	if len(iv) != 12 || tagBits != 128 {
		return nil, ckr(pkcs11.CKR_MECHANISM_PARAM_INVALID)
	}
	block, err := aes.NewCipher(o.attrs[pkcs11.CKA_VALUE])
	if err != nil {
		return nil, ckr(pkcs11.CKR_KEY_TYPE_INCONSISTENT)
	}
	return cipher.NewGCM(block)
}

func (f *fakeP11) EncryptGCM(sh pkcs11.SessionHandle, key pkcs11.ObjectHandle, iv, aad []byte, tagBits int, pt []byte) ([]byte, []byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	aead, err := f.gcm(sh, key, pkcs11.CKA_ENCRYPT, iv, tagBits)
	if err != nil {
		return nil, nil, err
	}
	return bytes.Clone(iv), aead.Seal(nil, iv, pt, aad), nil
}

func (f *fakeP11) DecryptGCM(sh pkcs11.SessionHandle, key pkcs11.ObjectHandle, iv, aad []byte, tagBits int, sealed []byte) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	aead, err := f.gcm(sh, key, pkcs11.CKA_DECRYPT, iv, tagBits)
	if err != nil {
		return nil, err
	}
	pt, err := aead.Open(nil, iv, sealed, aad)
	if err != nil {
		return nil, ckr(pkcs11.CKR_ENCRYPTED_DATA_INVALID)
	}
	return pt, nil
}
