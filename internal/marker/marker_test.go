package marker

import (
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/store"
)

func TestKeysetRoundTrip(t *testing.T) {
	for _, c := range []store.KeyCursor{
		{CreatedAt: time.UnixMilli(1700000000123).UTC(), ID: "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"},
		{CreatedAt: time.UnixMilli(0).UTC(), ID: "x"},
	} {
		m := Keyset(c)
		p, ok := Parse(m, 100)
		if !ok || p.Offset != 0 || !p.After.CreatedAt.Equal(c.CreatedAt) || p.After.ID != c.ID {
			t.Errorf("Parse(Keyset(%v)) = %v, %v", c, p, ok)
		}
	}
}

func TestParse(t *testing.T) {
	for in, want := range map[string]Position{"": {}, "0": {}, "7": {Offset: 7}, "100": {Offset: 100}} {
		if p, ok := Parse(in, 100); !ok || p != want {
			t.Errorf("Parse(%q) = %v, %v; want %v", in, p, ok, want)
		}
	}
	for _, bad := range []string{"-1", "101", "x", "1.5", "k1", "k1!!", "k1AAAAAAAAAAA", "k2AAAAAAAAAAAB"} {
		if p, ok := Parse(bad, 100); ok {
			t.Errorf("Parse(%q) = %v, want not ok", bad, p)
		}
	}
}
