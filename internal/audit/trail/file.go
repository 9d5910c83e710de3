package trail

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// OpenFile opens the trail in the file at path, rotating it to
// path.<UTC time> once it reaches maxSize bytes (never, when maxSize is 0).
// It continues the chain of the newest of those files when there is one
// (unwrapping its chain key through root), so a restarted node extends its
// own chain; otherwise it starts a new chain. A last line cut short by a
// crash was never acknowledged (its fsync had not returned): it is removed.
func OpenFile(ctx context.Context, path string, maxSize int64, root Wrapper) (*Writer, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("trail: %w", err)
	}
	d, err := openFileDest(path, maxSize) // locked: no other process appends
	if err != nil {
		return nil, err
	}
	cs, fresh, err := d.resume(ctx, root)
	if errors.Is(err, errOtherRootKey) {
		// The root key was rotated since the trail's last file was begun:
		// that chain ends there (kmsd audit verify checks it with the
		// previous root key), and a new one begins in a new file.
		cs, fresh, err = d.restartChain(ctx, root)
	}
	if err != nil {
		d.Close()
		return nil, err
	}
	return start(d, cs, fresh), nil
}

// restartChain moves the current file aside, as a rotation would, and
// begins a new chain in a new file.
func (d *fileDest) restartChain(ctx context.Context, root Wrapper) (chainState, bool, error) {
	if d.size > 0 {
		saved := d.maxSize
		d.maxSize = 1 // Rotate moves a file that has reached maxSize
		_, err := d.Rotate()
		d.maxSize = saved
		if err != nil {
			return chainState{}, false, err
		}
	}
	cs, err := newChain(ctx, root)
	return cs, true, err
}

// resume drops a torn last line and reads where the chain continues.
func (d *fileDest) resume(ctx context.Context, root Wrapper) (chainState, bool, error) {
	if err := dropTornTail(d.path); err != nil {
		return chainState{}, false, err
	}
	st, err := d.f.Stat()
	if err != nil {
		return chainState{}, false, err
	}
	d.size = st.Size()
	return continueChain(ctx, d.path, root)
}

// continueChain returns the state the newest file of the trail ends in, and
// whether the current file is new (so must begin with a chain-key record);
// a new chain when there is no file yet.
func continueChain(ctx context.Context, path string, root Wrapper) (chainState, bool, error) {
	files := Files(path)
	if len(files) == 0 {
		cs, err := newChain(ctx, root)
		return cs, true, err
	}
	last := files[len(files)-1]
	cs, err := readState(ctx, last, root)
	if err != nil {
		return chainState{}, false, fmt.Errorf("trail: continuing %s: %w (run kmsd audit verify on it)", last, err)
	}
	return cs, last != path, nil
}

// Files returns the non-empty files of the trail at path, oldest first: the
// rotated ones, then path itself.
func Files(path string) []string {
	rotated, _ := filepath.Glob(path + ".*")
	sort.Strings(rotated)
	var out []string
	for _, f := range append(rotated, path) {
		if st, err := os.Stat(f); err == nil && st.Size() > 0 {
			out = append(out, f)
		}
	}
	return out
}

// readState reads a file's chain key (its first line) and last record.
func readState(ctx context.Context, file string, root Wrapper) (chainState, error) {
	f, err := os.Open(file)
	if err != nil {
		return chainState{}, err
	}
	defer f.Close()
	first, err := bufio.NewReaderSize(f, 64<<10).ReadSlice('\n')
	if err != nil {
		return chainState{}, fmt.Errorf("first line: %w", err)
	}
	r, err := parseLine(first)
	if err != nil {
		return chainState{}, err
	}
	key, err := r.unwrapKey(ctx, root)
	if err != nil {
		return chainState{}, err
	}
	tail, err := readTail(f)
	if err != nil {
		return chainState{}, err
	}
	body := bytes.TrimSuffix(tail, []byte("\n"))
	lr, err := parseLine(body[bytes.LastIndexByte(body, '\n')+1:])
	if err != nil {
		return chainState{}, err
	}
	return chainState{key: key, node: r.Node, seq: lr.Seq, prev: lr.MAC,
		header: headerFields(r.Node, root.ID(), r.wrapped)}, nil
}

// tailSize bounds how much of a file's end is read to find its last line;
// records are far smaller.
const tailSize = 1 << 20

// readTail returns the last tailSize bytes of f (all of a smaller file).
func readTail(f *os.File) ([]byte, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	off := max(st.Size()-tailSize, 0)
	buf := make([]byte, st.Size()-off)
	if _, err := f.ReadAt(buf, off); err != nil && err != io.EOF {
		return nil, err
	}
	return buf, nil
}

// dropTornTail truncates path after its last newline.
func dropTornTail(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("trail: %w", err)
	}
	defer f.Close()
	buf, err := readTail(f)
	if err != nil || len(buf) == 0 || buf[len(buf)-1] == '\n' {
		return err
	}
	st, err := f.Stat()
	if err != nil {
		return err
	}
	keep := st.Size() - int64(len(buf)) + int64(bytes.LastIndexByte(buf, '\n')+1)
	if err := f.Truncate(keep); err != nil {
		return err
	}
	return f.Sync()
}

// fileDest is a trail file that rotates by size.
type fileDest struct {
	path     string
	maxSize  int64
	f        *os.File
	size     int64
	lastSize int64
}

func openFileDest(path string, maxSize int64) (*fileDest, error) {
	d := &fileDest{path: path, maxSize: maxSize}
	return d, d.open()
}

func (d *fileDest) open() error {
	f, err := os.OpenFile(d.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("trail: %w", err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return fmt.Errorf("trail: %s is in use by another process (each node needs its own audit file): %w", d.path, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("trail: %w", err)
	}
	d.f, d.size = f, st.Size()
	return syncDir(filepath.Dir(d.path))
}

func (d *fileDest) Write(p []byte) error {
	d.lastSize = d.size
	n, err := d.f.Write(p)
	d.size += int64(n)
	return err
}

func (d *fileDest) Sync() error { return datasync(d.f) }

// Rollback drops what the last Write added.
func (d *fileDest) Rollback() error {
	if err := d.f.Truncate(d.lastSize); err != nil {
		return err
	}
	d.size = d.lastSize
	return nil
}

// Rotate renames a full file to path.<UTC time> and opens a new one.
func (d *fileDest) Rotate() (bool, error) {
	if d.maxSize <= 0 || d.size < d.maxSize {
		return false, nil
	}
	if err := d.f.Close(); err != nil {
		return false, err
	}
	name := d.path + "." + time.Now().UTC().Format("20060102T150405.000000000Z")
	if err := os.Rename(d.path, name); err != nil {
		return false, err
	}
	return true, d.open()
}

func (d *fileDest) Close() error { return d.f.Close() }

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
