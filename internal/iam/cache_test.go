package iam

import (
	"testing"
	"time"
)

// TestIdentityCacheExpires: an entry is served until CacheTTL after it
// was stored, then the store is read again (the backstop for changes no
// notification reported).
func TestIdentityCacheExpires(t *testing.T) {
	now := time.Unix(1000, 0)
	c := newIdentityCache[string](func() time.Time { return now })
	c.put("ak", "v")
	now = now.Add(CacheTTL - time.Millisecond)
	if v, ok := c.get("ak"); !ok || v != "v" {
		t.Fatalf("before the TTL: %q %v", v, ok)
	}
	now = now.Add(time.Millisecond)
	if _, ok := c.get("ak"); ok {
		t.Fatal("served after the TTL")
	}
	p := newPermCache(func() time.Time { return now })
	_, gen, _ := p.get([2]string{"u", "p"})
	p.reset()
	p.put([2]string{"u", "p"}, nil, gen)
	if _, _, ok := p.get([2]string{"u", "p"}); ok {
		t.Fatal("a set computed before a reset was stored after it")
	}
}
