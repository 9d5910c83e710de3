package api

import (
	"testing"

	"github.com/kmsd/kmsd/internal/op"
)

// TestEveryOperationIsServed: routes panics when the catalogue and the
// handlers disagree; this runs it, and checks that each operation is
// served once at its catalogue path (plus the mux aliases).
func TestEveryOperationIsServed(t *testing.T) {
	rs := (&Server{}).routes()
	if want := len(op.All()) + len(muxAliases); len(rs) != want {
		t.Fatalf("%d routes, want %d", len(rs), want)
	}
	for i, o := range op.All() {
		if rs[i].Op != o || rs[i].handle == nil {
			t.Errorf("route %d is %s %s, want %s %s", i, rs[i].Method, rs[i].Path, o.Method, o.Path)
		}
	}
}
