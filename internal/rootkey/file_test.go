package rootkey

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func openFileT(t *testing.T, dir string) RootKey {
	t.Helper()
	k, err := OpenFile(dir)
	if err != nil {
		t.Fatalf("OpenFile(%s): %v", dir, err)
	}
	return k
}

func TestFileContract(t *testing.T) {
	dir, otherDir := t.TempDir(), t.TempDir()
	runContract(t, harness{
		open:  func(t *testing.T) RootKey { return openFileT(t, dir) },
		other: func(t *testing.T) RootKey { return openFileT(t, otherDir) },
	})
}

func TestOpenFileCreates0600(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "keys")
	k := openFileT(t, dir)
	defer k.Close()
	st, err := os.Stat(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 || st.Size() != keySize {
		t.Fatalf("root.key: mode %#o size %d; want 0600, %d", st.Mode().Perm(), st.Size(), keySize)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("directory holds %d entries (temp file left behind?)", len(entries))
	}
	if dst, _ := os.Stat(dir); dst.Mode().Perm() != 0o700 {
		t.Errorf("created directory mode %#o, want 0700", dst.Mode().Perm())
	}
}

func TestOpenFileRefusesLoosePermissions(t *testing.T) {
	for _, mode := range []os.FileMode{0o640, 0o604, 0o660, 0o644, 0o602} {
		dir := t.TempDir()
		openFileT(t, dir).Close()
		path := filepath.Join(dir, FileName)
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		if k, err := OpenFile(dir); !errors.Is(err, ErrInsecurePermissions) {
			if k != nil {
				k.Close()
			}
			t.Errorf("mode %#o: OpenFile error %v, want ErrInsecurePermissions", mode, err)
		}
	}
	dir := t.TempDir()
	openFileT(t, dir).Close()
	if err := os.Chmod(filepath.Join(dir, FileName), 0o400); err != nil {
		t.Fatal(err)
	}
	openFileT(t, dir).Close() // read-only for the owner is fine
}

func TestOpenFileRefusesWrongLength(t *testing.T) {
	for _, n := range []int{0, 16, 31, 33, 64} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, FileName), make([]byte, n), 0o600); err != nil {
			t.Fatal(err)
		}
		k, err := OpenFile(dir)
		if err == nil {
			k.Close()
			t.Fatalf("%d-byte key file accepted", n)
		}
		if errors.Is(err, ErrInsecurePermissions) {
			t.Fatalf("%d-byte key file: %v", n, err)
		}
	}
}

func TestOpenFileRefusesNonRegular(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, FileName), 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenFile(dir); err == nil {
		t.Fatal("directory named root.key accepted")
	}
}

// TestFileKnownAnswer pins the key ID (checked with openssl: sha256 of
// AES-256-ECB(key, 0^16)) and the blob format against an
// independent AES-GCM computation, so neither can drift unnoticed.
func TestFileKnownAnswer(t *testing.T) {
	dir := t.TempDir()
	key := bytes.Repeat([]byte{0x42}, keySize)
	if err := os.WriteFile(filepath.Join(dir, FileName), key, 0o600); err != nil {
		t.Fatal(err)
	}
	k := openFileT(t, dir)
	defer k.Close()
	if got, want := k.ID(), "file:25aedcdbc28e3ba8"; got != want {
		t.Errorf("ID = %q, want %q", got, want)
	}
	block, _ := aes.NewCipher(key)
	aead, _ := cipher.NewGCM(block)
	nonce := bytes.Repeat([]byte{7}, nonceSize)
	blob := append([]byte{1}, nonce...)
	blob = aead.Seal(blob, nonce, []byte("material"), []byte("\x01aad"))
	got, err := k.Unwrap(context.Background(), blob, []byte("aad"))
	if err != nil || string(got) != "material" {
		t.Fatalf("Unwrap(independent blob) = %q, %v", got, err)
	}
	mine, _ := k.Wrap(context.Background(), []byte("material"), []byte("aad"))
	if pt, err := aead.Open(nil, mine[1:13], mine[13:], []byte("\x01aad")); err != nil || string(pt) != "material" {
		t.Fatalf("independent Open of Wrap output = %q, %v", pt, err)
	}
}

// TestOpenFileConcurrentCreate checks that racing creators agree on one key.
func TestOpenFileConcurrentCreate(t *testing.T) {
	dir := t.TempDir()
	ids := make([]string, 8)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Go(func() {
			k, err := OpenFile(dir)
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = k.ID()
			k.Close()
		})
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("concurrent creators disagree: %q", ids)
		}
	}
}

func TestOpenConfig(t *testing.T) {
	dir := t.TempDir()
	for _, kind := range []string{"", "file"} {
		k, err := Open(Config{Kind: kind, Dir: dir})
		if err != nil {
			t.Fatalf("Open(kind %q): %v", kind, err)
		}
		k.Close()
	}
	for _, cfg := range []Config{{Kind: "file"}, {Kind: "hsm", Dir: dir}, {Kind: "pkcs11"}, {Kind: "pkcs11", PKCS11URI: "pkcs11:object=x"}} {
		if k, err := Open(cfg); err == nil {
			k.Close()
			t.Errorf("Open(%+v) succeeded", cfg)
		}
	}
}
