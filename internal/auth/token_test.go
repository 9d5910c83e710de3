package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
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

// FuzzTokenVerify checks Verify against the token format, with a key the
// test holds. The fuzzed string is verified as sent: it may be accepted only
// if its MAC is the key's MAC of everything before the last dot, and then
// only with the claims its body decodes to. The fuzzed body is also signed
// with the key, which gets past the MAC to the claims decoding and the
// expiry check: such a token is accepted exactly when the body decodes and
// has not expired at the fuzzed now, with the decoded claims; changing any
// one of its bytes makes it invalid; and minting the accepted claims gives
// a token that verifies to them again. Errors are only ErrTokenInvalid and
// ErrTokenExpired.
func FuzzTokenVerify(f *testing.F) {
	key := []byte("0123456789abcdef0123456789abcdef")
	tk := NewTokens(key)
	good := tk.Mint(Claims{UserID: "u", DomainID: "d", ProjectID: "p", IssuedAt: 1, ExpiresAt: 1 << 40})
	f.Add(good, []byte(`{"uid":"u","exp":100}`), int64(50), uint16(3), byte(1))
	f.Add("kmsd1.e30.AAAA", []byte(`{}`), int64(0), uint16(0), byte(0))
	f.Add(good[:len(good)-1], []byte(`{"uid":"u","un":"n","did":"d","dn":"x","pid":"p","pn":"r","iat":1,"exp":2}`), int64(2), uint16(40), byte(0x80))
	f.Add("kmsd1..", []byte(`{"exp":1e3}`), int64(-1), uint16(9), byte(0x20))
	f.Add("", []byte(`{"uid":"\u00e9","exp":9223372036854775807}`), int64(1)<<62, uint16(0), byte(0))
	f.Add("x", []byte(`{"exp":"1"}`), int64(0), uint16(0), byte(0))
	f.Fuzz(func(t *testing.T, tok string, body []byte, nowUnix int64, pos uint16, flip byte) {
		now := time.Unix(nowUnix, 0)
		check := func(what string, err error) {
			if err != nil && !errors.Is(err, ErrTokenInvalid) && !errors.Is(err, ErrTokenExpired) {
				t.Fatalf("%s: error %v is neither ErrTokenInvalid nor ErrTokenExpired", what, err)
			}
		}

		// The string as sent.
		c, err := tk.Verify(tok, now)
		check("fuzzed token", err)
		if err == nil {
			i := strings.LastIndexByte(tok, '.')
			if signed(key, tok[:i]) != tok {
				t.Fatalf("accepted %q, which does not carry the key's MAC", tok)
			}
			if want, ok := decodeClaims(tok[len(tokenPrefix):i]); !ok || want != c {
				t.Fatalf("accepted %q with claims %+v, its body decodes to %+v (%v)", tok, c, want, ok)
			}
		}

		// The fuzzed body, signed with the key.
		signedTok := signed(key, tokenPrefix+base64.RawURLEncoding.EncodeToString(body))
		c, err = tk.Verify(signedTok, now)
		check("signed body", err)
		var want Claims
		switch {
		case json.Unmarshal(body, &want) != nil:
			if !errors.Is(err, ErrTokenInvalid) {
				t.Fatalf("body %q does not decode, Verify = %+v, %v", body, c, err)
			}
			return
		case now.Unix() >= want.ExpiresAt:
			if !errors.Is(err, ErrTokenExpired) {
				t.Fatalf("body %q expired at %d, now %d: Verify = %+v, %v", body, want.ExpiresAt, now.Unix(), c, err)
			}
			return
		case err != nil || c != want:
			t.Fatalf("body %q: Verify = %+v, %v; want %+v", body, c, err, want)
		}
		if again, err := tk.Verify(tk.Mint(c), now); err != nil || again != c {
			t.Fatalf("Mint(%+v) verifies to %+v, %v", c, again, err)
		}
		if flip != 0 {
			b := []byte(signedTok)
			b[int(pos)%len(b)] ^= flip
			if _, err := tk.Verify(string(b), now); err == nil {
				t.Fatalf("%q, one byte away from the valid %q, was accepted", b, signedTok)
			}
		}
	})
}

// signed returns payload "." base64url(HMAC-SHA256(key, payload)): a token
// made without Tokens, for FuzzTokenVerify.
func signed(key []byte, payload string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(payload))
	return payload + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// decodeClaims decodes a canonical base64url JSON token body.
func decodeClaims(b64 string) (Claims, bool) {
	body, err := base64.RawURLEncoding.Strict().DecodeString(b64)
	var c Claims
	return c, err == nil && json.Unmarshal(body, &c) == nil
}
