// Package marker is the pagination marker of list-keys: the string a
// client gets back as next_marker and hands back as marker.
//
// A marker kmsd issues is opaque: "k1" followed by the unpadded base64url
// encoding of the last listed key's creation time (8 bytes, big-endian Unix
// milliseconds) and id. It is a keyset cursor: the next page starts after
// that key, so its cost does not depend on how deep in the list it is, and
// keys created or deleted meanwhile neither repeat nor skip a key. A marker
// of decimal digits only is a position (a 0-based offset), as clients
// written against the numeric markers of the cloud service send it; it
// costs O(position).
package marker

import (
	"encoding/base64"
	"encoding/binary"
	"strconv"
	"strings"
	"time"

	"github.com/kmsd/kmsd/internal/store"
)

// keysetPrefix starts every keyset marker (version 1 of the encoding).
const keysetPrefix = "k1"

// maxIDLen bounds the key id a marker may carry.
const maxIDLen = 255

// Position is where a page starts: after a key (After.ID set) or at an
// offset.
type Position struct {
	After  store.KeyCursor
	Offset int
}

// Keyset returns the marker of the position just after c.
func Keyset(c store.KeyCursor) string {
	b := make([]byte, 8, 8+len(c.ID))
	binary.BigEndian.PutUint64(b, uint64(c.CreatedAt.UnixMilli()))
	b = append(b, c.ID...)
	return keysetPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// Parse reads a marker: "" is the start, digits an offset (at most
// maxOffset), anything else must be a keyset marker. ok is false for
// anything else, including a negative or too large offset.
func Parse(s string, maxOffset int) (p Position, ok bool) {
	if s == "" {
		return p, true
	}
	if rest, found := strings.CutPrefix(s, keysetPrefix); found {
		b, err := base64.RawURLEncoding.DecodeString(rest)
		if err != nil || len(b) <= 8 || len(b) > 8+maxIDLen {
			return p, false
		}
		ms := int64(binary.BigEndian.Uint64(b))
		p.After = store.KeyCursor{CreatedAt: time.UnixMilli(ms).UTC(), ID: string(b[8:])}
		return p, true
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > maxOffset {
		return p, false
	}
	p.Offset = n
	return p, true
}
