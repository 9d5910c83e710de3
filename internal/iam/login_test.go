package iam

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
)

// countHashes replaces deriveKey for the test with a wrapper that records
// the iteration count and output length of every PBKDF2 run.
func countHashes(t *testing.T) func() []string {
	t.Helper()
	real := deriveKey
	var mu sync.Mutex
	var runs []string
	deriveKey = func(pw string, salt []byte, iter, keyLen int) ([]byte, error) {
		mu.Lock()
		runs = append(runs, fmtRun(iter, keyLen, len(salt)))
		mu.Unlock()
		return real(pw, salt, iter, keyLen)
	}
	t.Cleanup(func() { deriveKey = real })
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		out := runs
		runs = nil
		return out
	}
}

func fmtRun(iter, keyLen, saltLen int) string {
	return fmt.Sprintf("iter=%d key=%d salt=%d", iter, keyLen, saltLen)
}

// TestUnknownUsersCostAFullHash checks that a login for an unknown user, an
// unknown account (by name or id) and a wrong password each run exactly one
// PBKDF2 of the same shape as a real user's check, and all answer ErrUnknown.
func TestUnknownUsersCostAFullHash(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t)
	boot, err := s.EnsureBootstrap(ctx, Bootstrap{Password: "right password"})
	if err != nil {
		t.Fatal(err)
	}
	runs := countHashes(t)
	if _, _, err := s.Login(ctx, "admin", "", "admin", "right password"); err != nil {
		t.Fatalf("right password: %v", err)
	}
	want := runs()
	if len(want) != 1 || want[0] != fmtRun(pbkdf2Iterations, 32, 16) {
		t.Fatalf("a real login ran %v", want)
	}
	for name, try := range map[string][4]string{
		"wrong password":    {"admin", "", "admin", "wrong"},
		"unknown user":      {"admin", "", "nobody", "right password"},
		"unknown account":   {"no-such-account", "", "admin", "right password"},
		"unknown domain id": {"", "ffffffffffffffffffffffffffffffff", "admin", "right password"},
		"account id":        {"", boot.DomainID, "nobody", "x"},
	} {
		_, _, err := s.Login(ctx, try[0], try[1], try[2], try[3])
		if !errors.Is(err, ErrUnknown) {
			t.Errorf("%s: %v, want ErrUnknown", name, err)
		}
		if got := runs(); len(got) != 1 || got[0] != want[0] {
			t.Errorf("%s ran %v, want %v", name, got, want)
		}
	}
}
