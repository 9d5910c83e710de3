//go:build cgo && !nopkcs11

package rootkey

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/miekg/pkcs11"
)

const fakeModule = "/nonexistent/libfakep11.so"

// useFake makes newP11 load f for fakeModule, and checks when the test ends
// that every root key released the module and closed its sessions.
func useFake(t *testing.T, f *fakeP11) {
	t.Helper()
	old := newP11
	newP11 = func(path string) (P11, error) {
		if path != fakeModule {
			return nil, errors.New("rootkey: pkcs11: cannot load module " + path)
		}
		return f, nil
	}
	t.Cleanup(func() {
		newP11 = old
		modules.Lock()
		defer modules.Unlock()
		if len(modules.m) != 0 || f.initialized || len(f.sessions) != 0 {
			t.Errorf("leak: %d modules loaded, initialized=%v, %d sessions open", len(modules.m), f.initialized, len(f.sessions))
		}
	})
}

func fakeURI(pathAttrs, query string) string {
	return "pkcs11:" + pathAttrs + "?module-path=" + fakeModule + "&" + query
}

func openP11T(t *testing.T, uri string) RootKey {
	t.Helper()
	k, err := Open(Config{Kind: "pkcs11", PKCS11URI: uri})
	if err != nil {
		t.Fatalf("Open(pkcs11): %v", err)
	}
	return k
}

func TestFakePKCS11Contract(t *testing.T) {
	f := newFakeP11(&fakeToken{label: "other", pin: "0000"}, &fakeToken{label: "kmsd", serial: "s1", pin: "1234"})
	useFake(t, f)
	runContract(t, harness{
		open: func(t *testing.T) RootKey {
			return openP11T(t, fakeURI("token=kmsd;object=kmsd-root", "pin-value=1234&create=1"))
		},
		other: func(t *testing.T) RootKey {
			return openP11T(t, fakeURI("serial=s1;object=kmsd-other", "pin-value=1234&create=1"))
		},
	})
	if f.inits == 0 {
		t.Fatal("fake was never initialized")
	}
}

func TestFakePKCS11GeneratedKeyAttributes(t *testing.T) {
	f := newFakeP11(&fakeToken{label: "kmsd", pin: "1234"})
	useFake(t, f)
	k := openP11T(t, fakeURI("token=kmsd;object=kmsd-root;id=%07", "pin-value=1234&create=1"))
	defer k.Close()
	checkKeyAttributes(t, k)
	if k.ID() != "pkcs11:kmsd-root" {
		t.Errorf("ID = %q", k.ID())
	}
	k2 := openP11T(t, fakeURI("token=kmsd;object=kmsd-root;id=%07", "pin-value=1234&create=1"))
	defer k2.Close()
	if f.inits != 1 || len(f.objects) != 1 {
		t.Errorf("second open: %d initializations, %d objects; want the module shared and the key found, not regenerated", f.inits, len(f.objects))
	}
}

// checkKeyAttributes asserts the root key object is an AES-256 token key
// that cannot leave the token.
func checkKeyAttributes(t *testing.T, rk RootKey) {
	t.Helper()
	k := rk.(*p11Key)
	attrs, err := k.p11.GetAttributeValue(k.anchor, k.key, []*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_TOKEN, nil), pkcs11.NewAttribute(pkcs11.CKA_SENSITIVE, nil),
		pkcs11.NewAttribute(pkcs11.CKA_EXTRACTABLE, nil), pkcs11.NewAttribute(pkcs11.CKA_PRIVATE, nil),
		pkcs11.NewAttribute(pkcs11.CKA_VALUE_LEN, nil),
	})
	if err != nil || len(attrs) != 5 {
		t.Fatalf("GetAttributeValue: %v", err)
	}
	for i, want := range []byte{1, 1, 0, 1} {
		if len(attrs[i].Value) != 1 || attrs[i].Value[0] != want {
			t.Errorf("attribute %#x = %v, want %d", attrs[i].Type, attrs[i].Value, want)
		}
	}
	if n := decodeULong(attrs[4].Value); n != keySize {
		t.Errorf("CKA_VALUE_LEN = %d", n)
	}
	if _, err := k.p11.GetAttributeValue(k.anchor, k.key, []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_VALUE, nil)}); err == nil {
		t.Error("CKA_VALUE of the root key is readable")
	}
}

func TestFakePKCS11OpenErrors(t *testing.T) {
	f := newFakeP11(&fakeToken{label: "kmsd", pin: "1234"}, &fakeToken{label: "two", pin: "1"}, &fakeToken{label: "two", pin: "1"})
	f.addKey(0, "aes128", 16)
	f.addKey(0, "dup", 32)
	f.addKey(0, "dup", 32)
	useFake(t, f)
	for name, uri := range map[string]string{
		"not found without create": fakeURI("token=kmsd;object=absent", "pin-value=1234"),
		"wrong PIN":                fakeURI("token=kmsd;object=k", "pin-value=9999&create=1"),
		"no PIN, private key":      fakeURI("token=kmsd;object=aes128", ""),
		"no such token":            fakeURI("token=nope;object=k", "pin-value=1234&create=1"),
		"ambiguous token":          fakeURI("token=two;object=k", "pin-value=1&create=1"),
		"no token selector":        fakeURI("object=k", "pin-value=1&create=1"),
		"AES-128 key":              fakeURI("token=kmsd;object=aes128", "pin-value=1234"),
		"duplicate label":          fakeURI("token=kmsd;object=dup", "pin-value=1234"),
		"missing module":           "pkcs11:token=kmsd;object=k?module-path=/no/such/lib.so&pin-value=1234",
		"missing pin file":         fakeURI("token=kmsd;object=k", "pin-source=/no/such/pin"),
	} {
		k, err := Open(Config{Kind: "pkcs11", PKCS11URI: uri})
		if err == nil {
			k.Close()
			t.Errorf("%s: Open succeeded", name)
		} else if !strings.HasPrefix(err.Error(), "rootkey: ") {
			t.Errorf("%s: error %q lacks the rootkey: prefix", name, err)
		}
	}
	if len(f.objects) != 3 {
		t.Errorf("failed opens created keys: %d objects", len(f.objects))
	}
}

// TestFakePKCS11TokenDown checks that a failing token is reported as such,
// not as ErrUnwrap, so callers do not mistake an outage for bad data.
func TestFakePKCS11TokenDown(t *testing.T) {
	f := newFakeP11(&fakeToken{label: "kmsd", pin: "1234"})
	useFake(t, f)
	k := openP11T(t, fakeURI("token=kmsd;object=kmsd-root", "pin-value=1234&create=1"))
	defer func() {
		f.mu.Lock()
		f.down = false
		f.mu.Unlock()
		k.Close()
	}()
	ctx := context.Background()
	blob := mustWrap(t, k, []byte("x"), nil)
	f.mu.Lock()
	f.down = true
	f.mu.Unlock()
	if _, err := k.Wrap(ctx, []byte("x"), nil); err == nil {
		t.Error("Wrap succeeded on a removed token")
	}
	if _, err := k.Unwrap(ctx, blob, nil); err == nil || errors.Is(err, ErrUnwrap) {
		t.Errorf("Unwrap on a removed token = %v, want an error that is not ErrUnwrap", err)
	}
}
