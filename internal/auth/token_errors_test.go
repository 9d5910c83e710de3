package auth

import (
	"errors"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/kmserr"
)

// TestTokenErrorsAreKMSCodes: token problems are answered with KMS's own
// codes (403 KMS.0301 malformed, KMS.0302 invalid, KMS.0303 expired), not
// the gateway's 401 APIGW.0301 that AK/SK failures get.
func TestTokenErrorsAreKMSCodes(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	tk := NewTokens([]byte("0123456789abcdef0123456789abcdef"))
	a := &Authenticator{Tokens: tk, Clock: func() time.Time { return now }}
	live := tk.Mint(Claims{UserID: "u", DomainID: "d", ExpiresAt: now.Unix() + 60})
	expired := tk.Mint(Claims{UserID: "u", DomainID: "d", ExpiresAt: now.Unix()})
	forged := NewTokens([]byte("another key another key another!")).Mint(Claims{UserID: "u", ExpiresAt: now.Unix() + 60})
	for _, tc := range []struct {
		tok  string
		want *kmserr.Error
	}{
		{expired, kmserr.TokenExpired},
		{forged, kmserr.TokenInvalid},
		{"kmsd1.abc.def", kmserr.TokenInvalid},
		{"MIIZAgYJKoZIhvcNAQcCoIIY8zCCGO8CAQExDTAL", kmserr.TokenMalformed},
	} {
		_, err := a.token(tc.tok)
		if e := kmserr.From(err); !errors.Is(err, tc.want) || e.Status != 403 {
			t.Errorf("%.24s…: %v, want %s (403)", tc.tok, err, tc.want.Code)
		}
	}
	if id, err := a.token(live); err != nil || id.UserID != "u" {
		t.Fatalf("live token: %v %v", id, err)
	}
}
