package audit

import (
	"encoding/json"
	"testing"
)

// FuzzAppendJSONString checks that AppendJSONString writes a JSON string
// that reads back as encoding/json would carry s (invalid UTF-8 becomes
// U+FFFD) and holds no raw newline.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", "/we\"ird\\path\n\x01", "/bad\xffutf8/密钥\u2028", "\xed\xa0\x80", "\t\r"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := AppendJSONString(nil, s)
		var got string
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("%q: %v", b, err)
		}
		want, _ := json.Marshal(s)
		var w string
		json.Unmarshal(want, &w)
		if got != w {
			t.Fatalf("%q reads back as %q, want %q", s, got, w)
		}
		for _, c := range b {
			if c == '\n' {
				t.Fatalf("raw newline in %q", b)
			}
		}
	})
}
