package rootkey

import (
	"bytes"
	"context"
	"errors"
	"testing"
)

// FuzzUnwrap feeds arbitrary blobs and aad to the file key: Unwrap must never
// panic, must fail with ErrUnwrap, and may succeed only on a genuine blob.
func FuzzUnwrap(f *testing.F) {
	k, err := OpenFile(f.TempDir())
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { k.Close() })
	ctx := context.Background()
	genuine, err := k.Wrap(ctx, []byte("material"), []byte("aad"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(genuine, []byte("aad"))
	f.Add(genuine[:overhead], []byte("aad"))
	f.Add([]byte{}, []byte{})
	f.Add([]byte{FormatV1}, []byte(nil))
	f.Add(append([]byte{2}, genuine[1:]...), []byte("aad"))
	f.Add(bytes.Repeat([]byte{1}, overhead), []byte("x"))
	f.Fuzz(func(t *testing.T, blob, aad []byte) {
		pt, err := k.Unwrap(ctx, blob, aad)
		if err == nil {
			if !bytes.Equal(blob, genuine) || string(aad) != "aad" || string(pt) != "material" {
				t.Fatalf("forged blob %x (aad %q) unwrapped to %q", blob, aad, pt)
			}
			return
		}
		if !errors.Is(err, ErrUnwrap) {
			t.Fatalf("Unwrap error %v does not wrap ErrUnwrap", err)
		}
	})
}
