package backup

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/kmsd/kmsd/internal/iam"
	"github.com/kmsd/kmsd/internal/rootkey"
	"github.com/kmsd/kmsd/internal/store/sqlite"
)

// snapshot writes a store with one root-wrapped secret (the token key) and
// returns a snapshot of it and its root key.
func snapshot(t *testing.T) (string, rootkey.RootKey) {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "kmsd.db")
	st, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rk, err := rootkey.OpenFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rk.Close() })
	if _, err := iam.New(iam.Options{Store: st, Root: rk}).TokenKey(t.Context()); err != nil {
		t.Fatal(err)
	}
	to := filepath.Join(t.TempDir(), "snap")
	res, err := Write(t.Context(), db, to, rk, "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Secrets != 1 || res.RootKeyID != rk.ID() || res.SchemaVersion < 7 {
		t.Fatalf("Write: %+v", res)
	}
	if st, err := os.Stat(to); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("snapshot file: %v %v", st, err)
	}
	return to, rk
}

func restore(t *testing.T, from string, rk rootkey.RootKey) (string, error) {
	t.Helper()
	db := filepath.Join(t.TempDir(), "kmsd.db")
	check := func(h Header) error {
		if h.RootKeyID != rk.ID() {
			return ErrRootKey
		}
		return nil
	}
	_, err := Restore(from, db, check, func(path string) error { return Verify(t.Context(), path, rk) })
	return db, err
}

func TestRestoreRoundTrip(t *testing.T) {
	snap, rk := snapshot(t)
	db, err := restore(t, snap, rk)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(t.Context(), db, rk); err != nil {
		t.Fatalf("the restored store: %v", err)
	}
	if _, err := Restore(snap, db, func(Header) error { return nil }, func(string) error { return nil }); err == nil {
		t.Fatal("Restore over an existing database succeeded")
	}
}

// TestRestoreRefuses: every damaged file is refused with ErrCorrupt, and
// a snapshot of another root key with what check says; neither leaves a
// database behind.
func TestRestoreRefuses(t *testing.T) {
	snap, rk := snapshot(t)
	good, err := os.ReadFile(snap)
	if err != nil {
		t.Fatal(err)
	}
	header := bytes.IndexByte(good[len(Magic):], '\n') + len(Magic) + 1
	for name, b := range map[string][]byte{
		"empty":           {},
		"bad magic":       append([]byte("KMSD-SNAPSHOT 9\n"), good[len(Magic):]...),
		"flipped db byte": flip(good, header+100),
		"flipped sum":     flip(good, len(good)-1),
		"truncated":       good[:len(good)-1],
		"no checksum":     good[:len(good)-32],
		"trailing data":   append(bytes.Clone(good), 0),
		"header only":     good[:header],
	} {
		path := filepath.Join(t.TempDir(), "bad")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := restore(t, path, rk)
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: %v, want ErrCorrupt", name, err)
		}
		if _, err := os.Stat(db); !os.IsNotExist(err) {
			t.Errorf("%s: a database was left behind", name)
		}
	}
	other, err := rootkey.OpenFile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if db, err := restore(t, snap, other); !errors.Is(err, ErrRootKey) {
		t.Errorf("another root key: %v, want ErrRootKey", err)
	} else if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Error("another root key: a database was left behind")
	}
	// A check that passes but a root key that does not unwrap: verify refuses.
	db := filepath.Join(t.TempDir(), "kmsd.db")
	_, err = Restore(snap, db, func(Header) error { return nil }, func(path string) error { return Verify(t.Context(), path, other) })
	if err == nil {
		t.Error("a snapshot whose secrets do not unwrap was restored")
	}
}

func flip(b []byte, i int) []byte {
	out := bytes.Clone(b)
	out[i] ^= 1
	return out
}

// TestRestoreAcceptsEverySize: the checksum is checked over exactly the
// bytes of the snapshot whatever its size; hashing what a buffered reader
// pulled from the file would count its read-ahead too, so that restores
// of some sizes failed with a checksum mismatch.
func TestRestoreAcceptsEverySize(t *testing.T) {
	dir := t.TempDir()
	for _, size := range []int{1, 100, 4000, 4050, 4070, 4096, 4100, 8150, 8192, 12345} {
		db := bytes.Repeat([]byte{0x5a}, size)
		from := filepath.Join(dir, fmt.Sprintf("s%d", size))
		f, err := os.Create(from)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := encode(f, Header{RootKeyID: "file:x", Size: int64(size)}, bytes.NewReader(db)); err != nil {
			t.Fatal(err)
		}
		f.Close()
		to := filepath.Join(dir, fmt.Sprintf("r%d.db", size))
		if _, err := Restore(from, to, func(Header) error { return nil }, func(string) error { return nil }); err != nil {
			t.Errorf("size %d: %v", size, err)
			continue
		}
		if got, _ := os.ReadFile(to); !bytes.Equal(got, db) {
			t.Errorf("size %d: restored %d bytes, not the database", size, len(got))
		}
	}
}
