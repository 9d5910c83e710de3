package rootkey

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
)

// harness opens one RootKey implementation for the shared contract tests.
type harness struct {
	// open opens the key under test; every call opens the same key.
	open func(t *testing.T) RootKey
	// other opens a different key of the same kind.
	other func(t *testing.T) RootKey
}

// mustOpen calls h.open and closes the key when the test ends.
func (h harness) mustOpen(t *testing.T) RootKey {
	t.Helper()
	k := h.open(t)
	t.Cleanup(func() { k.Close() })
	return k
}

func mustWrap(t *testing.T, k RootKey, pt, aad []byte) []byte {
	t.Helper()
	blob, err := k.Wrap(context.Background(), pt, aad)
	if err != nil {
		t.Fatalf("Wrap: %v", err)
	}
	return blob
}

func wantUnwrapErr(t *testing.T, k RootKey, blob, aad []byte, what string) {
	t.Helper()
	pt, err := k.Unwrap(context.Background(), blob, aad)
	if !errors.Is(err, ErrUnwrap) {
		t.Fatalf("%s: Unwrap = %x, %v; want ErrUnwrap", what, pt, err)
	}
}

// runContract checks the behaviour every RootKey must have.
func runContract(t *testing.T, h harness) {
	ctx := context.Background()
	t.Run("RoundTrip", func(t *testing.T) {
		k := h.mustOpen(t)
		for _, n := range []int{0, 1, 16, 32, 4096, MaxPlaintextSize} {
			pt := bytes.Repeat([]byte{byte(n)}, n)
			aad := []byte(fmt.Sprintf("key-version/%d", n))
			blob := mustWrap(t, k, pt, aad)
			if len(blob) != overhead+n || blob[0] != FormatV1 {
				t.Fatalf("blob for %d bytes: len %d, format %d", n, len(blob), blob[0])
			}
			got, err := k.Unwrap(ctx, blob, aad)
			if err != nil || !bytes.Equal(got, pt) {
				t.Fatalf("Unwrap(%d bytes) = %d bytes, %v", n, len(got), err)
			}
			if again := mustWrap(t, k, pt, aad); bytes.Equal(again, blob) {
				t.Fatalf("two wraps of the same plaintext are identical (nonce reuse)")
			}
		}
		if _, err := k.Wrap(ctx, make([]byte, MaxPlaintextSize+1), nil); err == nil {
			t.Fatal("Wrap accepted more than MaxPlaintextSize bytes")
		}
	})
	t.Run("WrongAAD", func(t *testing.T) {
		k := h.mustOpen(t)
		blob := mustWrap(t, k, []byte("secret"), []byte("aad-1"))
		for _, aad := range [][]byte{nil, []byte("aad-2"), []byte("aad-1\x00"), []byte("aad-")} {
			wantUnwrapErr(t, k, blob, aad, fmt.Sprintf("aad %q", aad))
		}
		blob = mustWrap(t, k, []byte("secret"), nil)
		wantUnwrapErr(t, k, blob, []byte{0}, "aad 00 for a blob wrapped with no aad")
	})
	t.Run("Tamper", func(t *testing.T) {
		k := h.mustOpen(t)
		aad := []byte("aad")
		blob := mustWrap(t, k, []byte("0123456789abcdef0123456789abcdef"), aad)
		for i := range len(blob) * 8 {
			bad := bytes.Clone(blob)
			bad[i/8] ^= 1 << (i % 8)
			wantUnwrapErr(t, k, bad, aad, fmt.Sprintf("bit %d flipped", i))
		}
		for n := range len(blob) {
			wantUnwrapErr(t, k, blob[:n], aad, fmt.Sprintf("truncated to %d", n))
		}
		wantUnwrapErr(t, k, append(bytes.Clone(blob), 0), aad, "extended by one byte")
		if _, err := k.Unwrap(ctx, blob, aad); err != nil {
			t.Fatalf("original blob no longer unwraps after failures: %v", err)
		}
	})
	t.Run("OtherKey", func(t *testing.T) {
		k, o := h.mustOpen(t), h.other(t)
		defer o.Close()
		if k.ID() == o.ID() {
			t.Fatalf("different keys share ID %q", k.ID())
		}
		wantUnwrapErr(t, o, mustWrap(t, k, []byte("secret"), []byte("a")), []byte("a"), "other key")
		wantUnwrapErr(t, k, mustWrap(t, o, []byte("secret"), []byte("a")), []byte("a"), "other key, reversed")
	})
	t.Run("Reopen", func(t *testing.T) {
		k := h.open(t)
		id := k.ID()
		blob := mustWrap(t, k, []byte("survives restarts"), []byte("a"))
		if err := k.Close(); err != nil {
			t.Fatal(err)
		}
		k2 := h.mustOpen(t)
		if k2.ID() != id {
			t.Fatalf("ID changed across reopen: %q then %q", id, k2.ID())
		}
		if got, err := k2.Unwrap(ctx, blob, []byte("a")); err != nil || string(got) != "survives restarts" {
			t.Fatalf("Unwrap after reopen = %q, %v", got, err)
		}
	})
	t.Run("Concurrent", func(t *testing.T) {
		k := h.mustOpen(t)
		shared := mustWrap(t, k, []byte("shared"), nil)
		var wg sync.WaitGroup
		for g := range 16 {
			wg.Go(func() {
				for i := range 25 {
					pt := fmt.Appendf(nil, "goroutine %d item %d", g, i)
					blob, err := k.Wrap(ctx, pt, pt)
					if err != nil {
						t.Errorf("Wrap: %v", err)
						return
					}
					got, err := k.Unwrap(ctx, blob, pt)
					if err != nil || !bytes.Equal(got, pt) {
						t.Errorf("Unwrap = %q, %v; want %q", got, err, pt)
					}
					if got, err := k.Unwrap(ctx, shared, nil); err != nil || string(got) != "shared" {
						t.Errorf("Unwrap(shared) = %q, %v", got, err)
					}
				}
			})
		}
		wg.Wait()
	})
	t.Run("Context", func(t *testing.T) {
		k := h.mustOpen(t)
		blob := mustWrap(t, k, []byte("x"), nil)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := k.Wrap(cctx, []byte("x"), nil); !errors.Is(err, context.Canceled) {
			t.Errorf("Wrap with cancelled context = %v", err)
		}
		if _, err := k.Unwrap(cctx, blob, nil); !errors.Is(err, context.Canceled) || errors.Is(err, ErrUnwrap) {
			t.Errorf("Unwrap with cancelled context = %v", err)
		}
	})
	t.Run("Close", func(t *testing.T) {
		k := h.open(t)
		blob := mustWrap(t, k, []byte("x"), nil)
		if err := k.Close(); err != nil {
			t.Fatal(err)
		}
		if err := k.Close(); err != nil {
			t.Fatalf("second Close: %v", err)
		}
		if _, err := k.Wrap(ctx, []byte("x"), nil); !errors.Is(err, ErrClosed) {
			t.Errorf("Wrap after Close = %v", err)
		}
		if _, err := k.Unwrap(ctx, blob, nil); !errors.Is(err, ErrClosed) {
			t.Errorf("Unwrap after Close = %v", err)
		}
	})
}
