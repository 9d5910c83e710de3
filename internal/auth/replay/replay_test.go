package replay

import (
	"errors"
	"testing"
	"time"
)

func key(b byte) Key { return Key{b} }

func TestRepeatIsRefusedUntilItExpires(t *testing.T) {
	g := New(10)
	now := time.Unix(1_700_000_000, 0)
	exp := now.Add(15 * time.Minute)
	if err := g.Admit(key(1), exp, now); err != nil {
		t.Fatal(err)
	}
	if err := g.Admit(key(1), exp, now.Add(14*time.Minute)); !errors.Is(err, ErrReplayed) {
		t.Fatalf("repeat inside the window: %v", err)
	}
	if err := g.Admit(key(2), exp, now); err != nil {
		t.Fatalf("another request: %v", err)
	}
	if err := g.Admit(key(1), exp.Add(15*time.Minute), exp); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
}

func TestFullGuardFailsClosedAndRecovers(t *testing.T) {
	g := New(3)
	now := time.Unix(1_700_000_000, 0)
	for i := range 3 {
		// Out of order expiries: the heap must drop the earliest first.
		if err := g.Admit(key(byte(i)), now.Add(time.Duration(3-i)*time.Minute), now); err != nil {
			t.Fatal(err)
		}
	}
	if err := g.Admit(key(9), now.Add(time.Minute), now); !errors.Is(err, ErrFull) {
		t.Fatalf("over capacity: %v", err)
	}
	if err := g.Admit(key(2), now.Add(time.Minute), now); !errors.Is(err, ErrReplayed) {
		t.Fatalf("a full guard must still recognise a repeat: %v", err)
	}
	later := now.Add(time.Minute) // key 2 expires
	if err := g.Admit(key(9), later.Add(time.Minute), later); err != nil {
		t.Fatalf("after one expiry: %v", err)
	}
	if err := g.Admit(key(1), later, later); !errors.Is(err, ErrReplayed) {
		t.Fatalf("key 1 (expires at +2m) forgotten early: %v", err)
	}
	if n := g.Len(); n != 3 {
		t.Fatalf("Len = %d, want 3", n)
	}
}

func TestConcurrentAdmissionsAdmitEachKeyOnce(t *testing.T) {
	g := New(1000)
	now := time.Unix(1_700_000_000, 0)
	admitted := make(chan Key, 8*100)
	done := make(chan struct{})
	for range 8 {
		go func() {
			for i := range 100 {
				if g.Admit(key(byte(i)), now.Add(time.Minute), now) == nil {
					admitted <- key(byte(i))
				}
			}
			done <- struct{}{}
		}()
	}
	for range 8 {
		<-done
	}
	close(admitted)
	seen := map[Key]int{}
	for k := range admitted {
		seen[k]++
	}
	for k, n := range seen {
		if n != 1 {
			t.Fatalf("key %v admitted %d times", k[0], n)
		}
	}
	if len(seen) != 100 {
		t.Fatalf("%d keys admitted, want 100", len(seen))
	}
}
