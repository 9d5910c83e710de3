package rootkey

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseP11URI(t *testing.T) {
	got, err := parseP11URI("pkcs11:token=kmsd%20prod;serial=abc;slot-id=3;object=kmsd-root;id=%01%02;type=secret-key" +
		"?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-value=12%2634&create=1")
	if err != nil {
		t.Fatal(err)
	}
	want := &p11URI{token: "kmsd prod", serial: "abc", slotID: 3, hasSlotID: true, object: "kmsd-root",
		id: []byte{1, 2}, modulePath: "/usr/lib/softhsm/libsofthsm2.so", pinValue: "12&34", create: true}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("parse = %+v\nwant    %+v", got, want)
	}
	if pin, err := got.pin(); err != nil || pin != "12&34" {
		t.Fatalf("pin() = %q, %v", pin, err)
	}
}

func TestParseP11URIErrors(t *testing.T) {
	const mod = "?module-path=/lib.so"
	for _, raw := range []string{
		"object=k" + mod,                             // no scheme
		"pkcs11:token=t" + mod,                       // no object
		"pkcs11:object=k",                            // no module
		"pkcs11:object=k;object=j" + mod,             // repeated
		"pkcs11:object=k;objet=j" + mod,              // unknown path attribute
		"pkcs11:object=k;type=private" + mod,         // wrong type
		"pkcs11:object=k;slot-id=x" + mod,            // bad slot
		"pkcs11:object=k;token" + mod,                // no '='
		"pkcs11:object=k%zz" + mod,                   // bad escape
		"pkcs11:object=k" + mod + "&module-name=p11", // unsupported
		"pkcs11:object=k" + mod + "&pin-value=1&pin-source=/f",
		"pkcs11:object=k" + mod + "&create=maybe",
		"pkcs11:object=k" + mod + "&pin=1234",
	} {
		if u, err := parseP11URI(raw); err == nil {
			t.Errorf("parseP11URI(%q) = %+v, want error", raw, u)
		} else if !strings.HasPrefix(err.Error(), "rootkey: ") {
			t.Errorf("error %q lacks the rootkey: prefix", err)
		}
	}
	if _, err := parseP11URI("pkcs11:object=k" + mod + "&pin-value=sekrit&bogus=1"); err == nil || strings.Contains(err.Error(), "sekrit") {
		t.Errorf("error %v must exist and must not echo the PIN", err)
	}
}

func TestP11URIPinSource(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "pin")
	if err := os.WriteFile(path, []byte("1234\r\nignored\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{path, "file:" + path, "file://" + path} {
		u, err := parseP11URI("pkcs11:object=k?module-path=/lib.so&pin-source=" + src)
		if err != nil {
			t.Fatal(err)
		}
		if pin, err := u.pin(); err != nil || pin != "1234" {
			t.Errorf("pin-source %s: pin() = %q, %v", src, pin, err)
		}
	}
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, nil, 0o600)
	for _, src := range []string{empty, filepath.Join(dir, "missing"), "|/bin/echo 1234"} {
		u, err := parseP11URI("pkcs11:object=k?module-path=/lib.so&pin-source=" + src)
		if err != nil {
			t.Fatal(err)
		}
		if pin, err := u.pin(); err == nil {
			t.Errorf("pin-source %s: pin() = %q, want error", src, pin)
		}
	}
	u, _ := parseP11URI("pkcs11:object=k?module-path=/lib.so")
	if pin, err := u.pin(); err != nil || pin != "" {
		t.Errorf("no pin: pin() = %q, %v", pin, err)
	}
}
