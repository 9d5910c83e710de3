// Package backup writes and reads snapshots of the embedded store: a
// consistent copy of the SQLite database taken while nodes keep serving,
// with the identity of the root key its secrets are wrapped under (never the
// root key itself) and a checksum over the whole file.
//
// # File format
//
//	Magic                         "KMSD-SNAPSHOT 1\n"
//	header                        one line of JSON (Header), then '\n'
//	database                      Header.Size bytes: the SQLite file
//	checksum                      SHA-256 of everything before it (32 bytes)
//
// A snapshot is written to a temporary file in the target's directory,
// fsync'd, renamed into place and the directory fsync'd, so a crash leaves
// either no file or a complete one.
package backup

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/kmsd/kmsd/internal/rewrap"
	"github.com/kmsd/kmsd/internal/rootkey"
	"github.com/kmsd/kmsd/internal/store/sqlite"
	"github.com/kmsd/kmsd/internal/store/sqlstore"
)

// Magic is the first line of every snapshot.
const Magic = "KMSD-SNAPSHOT 1\n"

// maxHeader bounds the header line.
const maxHeader = 64 << 10

// Header describes a snapshot.
type Header struct {
	// RootKeyID is the root key the snapshot's secrets are wrapped under
	// (rootkey.RootKey.ID); PreviousRootKeyID the one a rotation was moving
	// away from when it was taken, if one was running.
	RootKeyID         string    `json:"root_key_id"`
	PreviousRootKeyID string    `json:"previous_root_key_id,omitempty"`
	SchemaVersion     int64     `json:"schema_version"`
	CreatedAt         time.Time `json:"created_at"`
	Size              int64     `json:"size"`
	// Secrets counts the root-wrapped secrets checked when it was taken.
	Secrets int `json:"secrets"`
}

// ErrCorrupt is wrapped by the errors of a file that is not an intact snapshot.
var ErrCorrupt = errors.New("backup: not an intact kmsd snapshot")

// ErrRootKey is wrapped when a snapshot belongs to another root key.
var ErrRootKey = errors.New("backup: the snapshot belongs to another root key")

// Result is what Write and Restore report.
type Result struct {
	Header
	SHA256 string `json:"sha256"` // the file's checksum, hex
}

// Write takes a snapshot of the SQLite database at dbPath into the file to
// (replacing it atomically if it exists). Before writing it, it checks that
// every root-wrapped secret of the copy unwraps under rk; prevID is the id
// of the previous root key while a rotation runs, "" otherwise.
func Write(ctx context.Context, dbPath, to string, rk rootkey.RootKey, prevID string) (Result, error) {
	dir := filepath.Dir(to)
	copyPath, err := tempName(dir, ".kmsd-snapshot-db-*")
	if err != nil {
		return Result{}, err
	}
	defer removeDB(copyPath)
	if err := sqlite.Snapshot(ctx, dbPath, copyPath); err != nil {
		return Result{}, err
	}
	h := Header{RootKeyID: rk.ID(), PreviousRootKeyID: prevID, CreatedAt: time.Now().UTC().Truncate(time.Millisecond)}
	if h.Secrets, h.SchemaVersion, err = inspect(ctx, copyPath, rk); err != nil {
		return Result{}, fmt.Errorf("backup: checking the snapshot with the configured root key: %w", err)
	}
	db, err := os.Open(copyPath)
	if err != nil {
		return Result{}, fmt.Errorf("backup: %w", err)
	}
	defer db.Close()
	st, err := db.Stat()
	if err != nil {
		return Result{}, fmt.Errorf("backup: %w", err)
	}
	h.Size = st.Size()
	var sum string
	err = writeAtomic(to, func(w io.Writer) (err error) {
		sum, err = encode(w, h, db)
		return err
	})
	return Result{Header: h, SHA256: sum}, err
}

// encode writes the snapshot of h and db to w, ending with the checksum,
// which it returns in hex.
func encode(w io.Writer, h Header, db io.Reader) (string, error) {
	line, err := json.Marshal(h)
	if err != nil {
		return "", err
	}
	sum := sha256.New()
	mw := io.MultiWriter(w, sum)
	if _, err := io.WriteString(mw, Magic); err != nil {
		return "", err
	}
	if _, err := mw.Write(append(line, '\n')); err != nil {
		return "", err
	}
	n, err := io.Copy(mw, db)
	if err != nil {
		return "", err
	}
	if n != h.Size {
		return "", fmt.Errorf("backup: database copy is %d bytes, expected %d", n, h.Size)
	}
	_, err = w.Write(sum.Sum(nil))
	return hex.EncodeToString(sum.Sum(nil)), err
}

// Restore checks the snapshot file from and writes its database to
// dbPath, which must not exist, atomically. check, called with the header
// before anything is written, may refuse the snapshot (another root key);
// verify, called with the path of the database once it is complete but
// before it is renamed to dbPath, may refuse it too (a secret that does not
// unwrap). A file that is not an intact snapshot fails with ErrCorrupt.
func Restore(from, dbPath string, check func(Header) error, verify func(path string) error) (Result, error) {
	if _, err := os.Lstat(dbPath); err == nil {
		return Result{}, fmt.Errorf("backup: %s exists; restore into a new data directory", dbPath)
	}
	f, err := os.Open(from)
	if err != nil {
		return Result{}, fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	// The checksum covers the bytes consumed, hashed as they are consumed:
	// a hash of what the buffered reader read from f would include its
	// read-ahead (past the database, into the checksum itself).
	sum := sha256.New()
	r := bufio.NewReader(f)
	h, raw, err := decodeHeader(r)
	if err != nil {
		return Result{}, err
	}
	sum.Write(raw)
	if err := check(h); err != nil {
		return Result{}, err
	}
	tmp, err := tempName(filepath.Dir(dbPath), ".kmsd-restore-*.db")
	if err != nil {
		return Result{}, err
	}
	defer removeDB(tmp)
	if err := copyDB(tmp, io.TeeReader(io.LimitReader(r, h.Size), sum), h.Size); err != nil {
		return Result{}, err
	}
	want := sum.Sum(nil)
	got := make([]byte, sha256.Size)
	if _, err := io.ReadFull(r, got); err != nil || !bytes.Equal(got, want) {
		return Result{}, fmt.Errorf("%w: checksum mismatch", ErrCorrupt)
	}
	if n, _ := r.Read(make([]byte, 1)); n != 0 {
		return Result{}, fmt.Errorf("%w: data after the checksum", ErrCorrupt)
	}
	if err := verify(tmp); err != nil {
		return Result{}, err
	}
	if err := renameNew(tmp, dbPath); err != nil {
		return Result{}, err
	}
	return Result{Header: h, SHA256: hex.EncodeToString(want)}, nil
}

// decodeHeader reads the magic and the header line, and returns the header
// and the bytes it read.
func decodeHeader(r *bufio.Reader) (Header, []byte, error) {
	magic := make([]byte, len(Magic))
	if _, err := io.ReadFull(r, magic); err != nil || string(magic) != Magic {
		return Header{}, nil, fmt.Errorf("%w: no snapshot header", ErrCorrupt)
	}
	var line []byte
	for len(line) <= maxHeader {
		chunk, err := r.ReadSlice('\n')
		line = append(line, chunk...)
		if err == nil {
			break
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return Header{}, nil, fmt.Errorf("%w: truncated header", ErrCorrupt)
		}
	}
	var h Header
	if err := json.Unmarshal(line, &h); err != nil || h.RootKeyID == "" || h.Size <= 0 {
		return Header{}, nil, fmt.Errorf("%w: bad header", ErrCorrupt)
	}
	return h, append(magic, line...), nil
}

// copyDB writes size bytes of r to a new file at path and fsyncs it.
func copyDB(path string, r io.Reader, size int64) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	n, err := io.Copy(f, r)
	if err == nil && n != size {
		err = fmt.Errorf("%w: truncated database (%d of %d bytes)", ErrCorrupt, n, size)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// inspect opens the database copy at path as a store, checks that every
// root-wrapped secret unwraps under rk, and returns how many there are and
// the schema version. The file is complete on its own again afterwards.
func inspect(ctx context.Context, path string, rk rootkey.RootKey) (secrets int, schema int64, err error) {
	st, err := sqlite.Open(path)
	if err != nil {
		return 0, 0, err
	}
	rep, err := rewrap.Verify(ctx, st, rk)
	if err == nil {
		err = st.(*sqlstore.Store).DB().QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&schema)
	}
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = noJournal(path)
	}
	return rep.Total(), schema, err
}

// Verify is the check Restore's verify callback usually makes: every
// root-wrapped secret of the database at path unwraps under rk.
func Verify(ctx context.Context, path string, rk rootkey.RootKey) error {
	_, _, err := inspect(ctx, path, rk)
	return err
}

// noJournal fails if SQLite left a write-ahead log with content beside
// path: the file alone would then not hold the whole database.
func noJournal(path string) error {
	if st, err := os.Stat(path + "-wal"); err == nil && st.Size() > 0 {
		return fmt.Errorf("backup: %s-wal was not checkpointed into %s", path, path)
	}
	return nil
}

// writeAtomic writes a new file through fn to a temporary file beside path,
// fsyncs it and renames it to path, then fsyncs the directory.
func writeAtomic(path string, fn func(io.Writer) error) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".kmsd-snapshot-*")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(f.Name()) // gone already on success
	bw := bufio.NewWriterSize(f, 1<<20)
	err = fn(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Chmod(0o600)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err == nil {
		err = syncDir(dir)
	}
	if err != nil {
		return fmt.Errorf("backup: writing %s: %w", path, err)
	}
	return nil
}

// renameNew renames tmp to path, refusing to replace an existing path, and
// fsyncs the directory.
func renameNew(tmp, path string) error {
	if err := os.Link(tmp, path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Remove(tmp); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return syncDir(filepath.Dir(path))
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// tempName returns an unused file name in dir matching pattern.
func tempName(dir, pattern string) (string, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	name := f.Name()
	f.Close()
	if err := os.Remove(name); err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	return name, nil
}

// removeDB removes a database file and the journal files SQLite may have
// left beside it.
func removeDB(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(path + suffix)
	}
}
