package rootkey

import (
	"bytes"
	"context"
	"errors"
	"testing"
)

// FuzzUnwrap checks the file key in two ways. Fuzzed blobs and aad as they
// are: Unwrap never panics, fails with ErrUnwrap, and succeeds only on the
// one genuine blob with its aad. And fuzzed material wrapped under fuzzed
// aad (a genuine blob, which byte mutation alone never produces): it
// unwraps to the material with that aad only, and changing any one byte
// of the blob, or cutting its end, makes Unwrap fail with ErrUnwrap.
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
	f.Add(genuine, []byte("aad"), []byte("material"), uint16(0), byte(1))
	f.Add(genuine[:overhead], []byte("aad"), []byte{}, uint16(13), byte(0x80))
	f.Add([]byte{}, []byte{}, bytes.Repeat([]byte{0xFF}, 64), uint16(1), byte(0xFF))
	f.Add([]byte{FormatV1}, []byte(nil), []byte("k"), uint16(28), byte(0))
	f.Add(append([]byte{2}, genuine[1:]...), []byte("aad"), []byte("material"), uint16(40), byte(2))
	f.Add(bytes.Repeat([]byte{1}, overhead), []byte("x"), make([]byte, 32), uint16(500), byte(0x10))
	f.Fuzz(func(t *testing.T, blob, aad, material []byte, pos uint16, flip byte) {
		unwrapFails := func(what string, blob, aad []byte) {
			t.Helper()
			if pt, err := k.Unwrap(ctx, blob, aad); !errors.Is(err, ErrUnwrap) {
				t.Fatalf("%s: Unwrap = %q, %v; want ErrUnwrap", what, pt, err)
			}
		}
		if pt, err := k.Unwrap(ctx, blob, aad); err == nil {
			if !bytes.Equal(blob, genuine) || string(aad) != "aad" || string(pt) != "material" {
				t.Fatalf("forged blob %x (aad %q) unwrapped to %q", blob, aad, pt)
			}
		} else {
			unwrapFails("fuzzed blob", blob, aad)
		}

		if len(material) > MaxPlaintextSize {
			return
		}
		w, err := k.Wrap(ctx, material, aad)
		if err != nil {
			t.Fatalf("Wrap %d bytes: %v", len(material), err)
		}
		if len(w) != overhead+len(material) || w[0] != FormatV1 {
			t.Fatalf("Wrap of %d bytes: %d-byte blob starting %#x", len(material), len(w), w[0])
		}
		if pt, err := k.Unwrap(ctx, w, aad); err != nil || !bytes.Equal(pt, material) {
			t.Fatalf("round trip: %x, %v; want %x", pt, err, material)
		}
		unwrapFails("other aad", w, append(bytes.Clone(aad), flip))
		unwrapFails("cut end", w[:len(w)-1-int(pos)%len(w)], aad)
		if flip != 0 {
			bad := bytes.Clone(w)
			bad[int(pos)%len(bad)] ^= flip
			unwrapFails("one byte changed", bad, aad)
		}
	})
}
