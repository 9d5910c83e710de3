package wire

import (
	"errors"
	"testing"

	"github.com/kmsd/kmsd/internal/kmserr"
)

func TestIntField(t *testing.T) {
	for in, want := range map[FlexString]int{"": 7, "1": 1, "2000": 2000} {
		if got, err := intField(in, 7, 1, 2000, kmserr.InvalidLimit); err != nil || got != want {
			t.Errorf("%q: %d %v", in, got, err)
		}
	}
	for _, in := range []FlexString{"0", "2001", "-1", "1.5", "x", " 1", "99999999999999999999"} {
		if _, err := intField(in, 7, 1, 2000, kmserr.InvalidLimit); !errors.Is(err, kmserr.InvalidLimit) {
			t.Errorf("%q: %v", in, err)
		}
	}
}
