package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kmsd/kmsd/internal/op"
)

// TestEveryOperationHasAnEndToEndTest fails when an operation of the
// catalogue is driven by no end-to-end test: none of this package's test
// files calls its SDK method or names its action or path.
func TestEveryOperationHasAnEndToEndTest(t *testing.T) {
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	var src strings.Builder
	for _, f := range files {
		if f == "catalogue_test.go" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src.Write(b)
	}
	all := src.String()
	for _, o := range op.All() {
		if !driven(all, o) {
			t.Errorf("no end-to-end test drives %s (SDK %s, %s %s)", o.Name, o.SDK, o.Method, o.Path)
		}
	}
}

// driven reports whether src calls o's SDK method, sends a raw request to
// its action (kmsPath("create-key")), or names the literal tail of its path
// in a string.
func driven(src string, o op.Op) bool {
	if o.SDK != "" && strings.Contains(src, "."+o.SDK+"(") {
		return true
	}
	if strings.Contains(src, `kmsPath("`+string(o.Name)+`")`) {
		return true
	}
	tail := o.Path[strings.LastIndex(o.Path, "}")+1:]
	return len(tail) > 1 && strings.Contains(src, tail+`"`)
}
