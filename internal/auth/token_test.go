package auth

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestTokens(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	tk := NewTokens([]byte("0123456789abcdef0123456789abcdef"))
	c := Claims{UserID: "u", DomainID: "d", ProjectID: "p", IssuedAt: now.Unix(), ExpiresAt: now.Add(TokenTTL).Unix()}
	tok := tk.Mint(c)
	got, err := tk.Verify(tok, now.Add(time.Hour))
	if err != nil || got != c {
		t.Fatalf("verify: %+v %v", got, err)
	}
	if _, err := tk.Verify(tok, now.Add(TokenTTL)); !errors.Is(err, ErrTokenExpired) {
		t.Fatalf("at expiry: %v", err)
	}
	other := NewTokens([]byte("another key another key another!"))
	if _, err := other.Verify(tok, now); !errors.Is(err, ErrTokenInvalid) {
		t.Fatalf("other key: %v", err)
	}
	// Any change to the token invalidates it.
	for i := range tok {
		b := []byte(tok)
		b[i] ^= 1
		if _, err := tk.Verify(string(b), now); err == nil {
			t.Fatalf("flip at %d accepted", i)
		}
	}
	for _, bad := range []string{"", "kmsd1.", "kmsd1..", "x.y.z", strings.Repeat("a", 1000), "kmsd1.e30." + tok[strings.LastIndexByte(tok, '.')+1:]} {
		if _, err := tk.Verify(bad, now); !errors.Is(err, ErrTokenInvalid) {
			t.Fatalf("%q: %v", bad, err)
		}
	}
}

func FuzzTokenVerify(f *testing.F) {
	tk := NewTokens([]byte("0123456789abcdef0123456789abcdef"))
	f.Add(tk.Mint(Claims{UserID: "u", ExpiresAt: 1 << 40}))
	f.Add("kmsd1.e30.AAAA")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := tk.Verify(s, time.Unix(0, 0))
		if err == nil && tk.Mint(c) == "" {
			t.Fatal("unreachable")
		}
	})
}
