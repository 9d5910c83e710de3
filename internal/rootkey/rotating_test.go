package rootkey

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"testing"
)

func TestRotatingContract(t *testing.T) {
	cur, prev, other := t.TempDir(), t.TempDir(), t.TempDir()
	runContract(t, harness{
		open:  func(t *testing.T) RootKey { return Rotating(openFileT(t, cur), openFileT(t, prev)) },
		other: func(t *testing.T) RootKey { return openFileT(t, other) },
	})
}

// TestRotatingWrapsUnderNewUnwrapsBoth: the rotating key's blobs are the
// new key's; blobs of the previous key still unwrap; blobs of a third key
// do not; its ID is the new key's.
func TestRotatingWrapsUnderNewUnwrapsBoth(t *testing.T) {
	ctx := context.Background()
	cur, prev, third := openFileT(t, t.TempDir()), openFileT(t, t.TempDir()), openFileT(t, t.TempDir())
	defer third.Close()
	r := Rotating(cur, prev)
	defer r.Close()
	if r.ID() != cur.ID() {
		t.Fatalf("ID %s, want the new key's %s", r.ID(), cur.ID())
	}
	aad := []byte("aad")
	blob := mustWrap(t, r, []byte("new"), aad)
	if pt, err := cur.Unwrap(ctx, blob, aad); err != nil || string(pt) != "new" {
		t.Fatalf("the new key does not unwrap the rotating key's blob: %q %v", pt, err)
	}
	wantUnwrapErr(t, prev, blob, aad, "previous key on a rotating blob")
	old := mustWrap(t, prev, []byte("old"), aad)
	if pt, err := r.Unwrap(ctx, old, aad); err != nil || !bytes.Equal(pt, []byte("old")) {
		t.Fatalf("the rotating key does not unwrap the previous key's blob: %q %v", pt, err)
	}
	wantUnwrapErr(t, r, mustWrap(t, third, []byte("x"), aad), aad, "rotating key on a third key's blob")
	wantUnwrapErr(t, r, old, []byte("other aad"), "rotating key with another aad")
}

func TestOpenExistingFile(t *testing.T) {
	dir := t.TempDir()
	if _, err := OpenExistingFile(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("OpenExistingFile on an empty directory: %v, want fs.ErrNotExist", err)
	}
	k := openFileT(t, dir)
	defer k.Close()
	again, err := OpenExistingFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if again.ID() != k.ID() {
		t.Fatalf("ID %s, want %s", again.ID(), k.ID())
	}
}
