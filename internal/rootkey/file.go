package rootkey

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// FileName is the name of the software root key file inside its directory.
const FileName = "root.key"

// fileKey is the software root key: an AES-256-GCM AEAD built from the 32
// bytes in root.key.
type fileKey struct {
	id   string
	mu   sync.RWMutex
	aead cipher.AEAD // nil once closed
}

// OpenFile opens the software root key stored in dir/root.key, creating it
// if it is missing: 32 bytes from crypto/rand, mode 0600, written atomically
// (temp file, fsync, link into place without clobbering, fsync dir). dir is
// created with mode 0700 if needed. Symlinks are followed (e.g. Kubernetes
// secret mounts), but the target must be a regular file of exactly 32 bytes
// whose permissions grant nothing to group or others; otherwise OpenFile
// refuses, with ErrInsecurePermissions for the latter.
func OpenFile(dir string) (RootKey, error) { return openFile(dir, true) }

// openFile is OpenFile, which creates a missing root.key only when create
// is set.
func openFile(dir string, create bool) (RootKey, error) {
	if dir == "" {
		return nil, errors.New("rootkey: file root key needs a directory")
	}
	path := filepath.Join(dir, FileName)
	key, err := readKeyFile(path)
	if errors.Is(err, fs.ErrNotExist) && !create {
		return nil, fmt.Errorf("rootkey: %s: %w", path, err)
	}
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("rootkey: %w", err)
		}
		if err = createKeyFile(dir, path); err != nil {
			return nil, err
		}
		key, err = readKeyFile(path)
	}
	if err != nil {
		return nil, err
	}
	// Best effort: the raw key is wiped as soon as the AES key schedule is
	// built. The schedule inside crypto/aes cannot be wiped from here, and the
	// Go runtime may have copied bytes elsewhere (GC, stacks); Close drops it.
	defer clear(key)
	return newFileKey(key)
}

// OpenExistingFile is OpenFile without the creation: it fails (with an
// error wrapping fs.ErrNotExist) when dir/root.key does not exist.
func OpenExistingFile(dir string) (RootKey, error) {
	path := filepath.Join(dir, FileName)
	key, err := readKeyFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("rootkey: no root key file %s: %w", path, err)
		}
		return nil, err
	}
	defer clear(key)
	return newFileKey(key)
}

// newFileKey builds a fileKey from 32 key bytes (which it does not retain).
func newFileKey(key []byte) (*fileKey, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("rootkey: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("rootkey: %w", err)
	}
	// Key check value: AES_k(0^128), as in classic KCVs. The ID is a hash of
	// it, so the ID reveals nothing usable about the key.
	var kcv [aes.BlockSize]byte
	block.Encrypt(kcv[:], kcv[:])
	sum := sha256.Sum256(kcv[:])
	return &fileKey{id: "file:" + hex.EncodeToString(sum[:])[:16], aead: aead}, nil
}

// readKeyFile reads and checks root.key. The checks use the opened file's
// own metadata so the file cannot be swapped between check and read.
func readKeyFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err // keeps fs.ErrNotExist visible to the caller
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("rootkey: %w", err)
	}
	switch {
	case !st.Mode().IsRegular():
		return nil, fmt.Errorf("rootkey: %s is not a regular file", path)
	case st.Mode().Perm()&0o077 != 0:
		return nil, fmt.Errorf("%w: %s has mode %#o (chmod 600 it)", ErrInsecurePermissions, path, st.Mode().Perm())
	case st.Size() != keySize:
		return nil, fmt.Errorf("rootkey: %s is %d bytes, want exactly %d", path, st.Size(), keySize)
	}
	key := make([]byte, keySize)
	if _, err := io.ReadFull(f, key); err != nil {
		clear(key)
		return nil, fmt.Errorf("rootkey: reading %s: %w", path, err)
	}
	return key, nil
}

// createKeyFile writes a new random key to path atomically. If another
// process creates path first, its key wins and this one is discarded, so
// two processes starting on an empty directory end up with the same key.
func createKeyFile(dir, path string) (err error) {
	key := make([]byte, keySize)
	defer clear(key)
	if _, err := rand.Read(key); err != nil {
		return fmt.Errorf("rootkey: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".root.key.tmp-*")
	if err != nil {
		return fmt.Errorf("rootkey: %w", err)
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName) // gone already on success; cleans up on failure
	_, err = tmp.Write(key)
	if err == nil {
		err = tmp.Chmod(0o600)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("rootkey: writing %s: %w", tmpName, err)
	}
	// link(2) is an atomic create-if-absent, unlike rename(2) which would
	// replace a key another process just created. Fall back to rename on
	// filesystems without hard links.
	if err := os.Link(tmpName, path); err != nil && !errors.Is(err, fs.ErrExist) {
		if _, statErr := os.Lstat(path); !errors.Is(statErr, fs.ErrNotExist) {
			return fmt.Errorf("rootkey: creating %s: %w", path, err)
		}
		if err := os.Rename(tmpName, path); err != nil {
			return fmt.Errorf("rootkey: creating %s: %w", path, err)
		}
	}
	if err := os.Remove(tmpName); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("rootkey: %w", err)
	}
	return syncDir(dir)
}

// syncDir fsyncs a directory so a new entry in it survives a crash.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("rootkey: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("rootkey: fsync %s: %w", dir, err)
	}
	return nil
}

func (k *fileKey) ID() string { return k.id }

func (k *fileKey) Wrap(ctx context.Context, plaintext, aad []byte) ([]byte, error) {
	if err := checkWrap(ctx, plaintext); err != nil {
		return nil, err
	}
	k.mu.RLock()
	defer k.mu.RUnlock()
	if k.aead == nil {
		return nil, ErrClosed
	}
	out := make([]byte, 1+nonceSize, overhead+len(plaintext))
	out[0] = FormatV1
	nonce := out[1 : 1+nonceSize]
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("rootkey: wrap: %w", err)
	}
	return k.aead.Seal(out, nonce, plaintext, gcmAAD(aad)), nil
}

func (k *fileKey) Unwrap(ctx context.Context, blob, aad []byte) ([]byte, error) {
	nonce, sealed, err := parseBlob(ctx, blob)
	if err != nil {
		return nil, err
	}
	k.mu.RLock()
	defer k.mu.RUnlock()
	if k.aead == nil {
		return nil, ErrClosed
	}
	pt, err := k.aead.Open(nil, nonce, sealed, gcmAAD(aad))
	if err != nil {
		return nil, ErrUnwrap
	}
	return pt, nil
}

// Close drops the AEAD (and with it the AES key schedule) so that it can be
// garbage collected. Zeroing is best effort: the raw key bytes were already
// wiped in OpenFile, but crypto/aes offers no way to wipe its schedule.
func (k *fileKey) Close() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.aead = nil
	return nil
}
