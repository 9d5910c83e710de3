package domain

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kmsd/kmsd/internal/kmserr"
)

// Limits from the API reference.
const (
	MaxDescriptionChars = 255
	MaxAliasChars       = 255
	SequenceBytes       = 36
	MinPendingDays      = 7
	MaxPendingDays      = 1096
	DefaultSuffix       = "/default"
)

var (
	keyIDRe = regexp.MustCompile(`^[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}$`)
	aliasRe = regexp.MustCompile(`^[a-zA-Z0-9:/_-]{1,255}$`)
)

// ValidKeyID reports whether id matches the API's key_id pattern.
func ValidKeyID(id string) bool { return keyIDRe.MatchString(id) }

// CheckKeyID validates a key_id field: KMS.0204 when empty, KMS.0205 when
// malformed.
func CheckKeyID(id string) error {
	if id == "" {
		return kmserr.MissingParameter.Msgf("key_id is required.")
	}
	if !ValidKeyID(id) {
		return kmserr.InvalidKeyID.Msgf("key_id must be 36 characters matching %s.", keyIDRe)
	}
	return nil
}

// CheckSequence validates the optional sequence field: empty or exactly 36
// bytes (KMS.0206).
func CheckSequence(seq string) error {
	if seq != "" && len(seq) != SequenceBytes {
		return kmserr.InvalidSequence.Msgf("sequence must be %d bytes, got %d.", SequenceBytes, len(seq))
	}
	return nil
}

// CheckDescription validates key_description: 0-255 characters (Unicode
// code points, not bytes) of valid UTF-8 without control characters
// (KMS.1103). Tab and line feed are allowed, and carriage return as part of
// a CRLF line end; refused are the other C0 controls (NUL, ESC, …), DEL, the
// C1 controls, U+2028/U+2029 and the bidirectional embedding, override and
// isolate controls (docs/api-behaviour.md says why).
func CheckDescription(d string) error {
	if !utf8.ValidString(d) {
		return kmserr.InvalidDescription.Msgf("key_description must be valid UTF-8.")
	}
	if n := utf8.RuneCountInString(d); n > MaxDescriptionChars {
		return kmserr.InvalidDescription.Msgf("key_description must be 0-%d characters, got %d.", MaxDescriptionChars, n)
	}
	for i, r := range d {
		if refusedInDescription(r) && !(r == '\r' && strings.HasPrefix(d[i+1:], "\n")) {
			return kmserr.InvalidDescription.Msgf("key_description must not contain the control character %U.", r)
		}
	}
	return nil
}

// refusedInDescription reports whether r may not appear in a description:
// controls that rewrite what a terminal, log viewer or console shows (ESC
// sequences, CR overwriting a line, C1 CSI, bidi reordering as in "Trojan
// Source"), truncate C strings (NUL) or end a line in JavaScript (U+2028,
// U+2029). CR is refused here; CheckDescription lets it through before LF.
func refusedInDescription(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return false
	case r < 0x20 || (r >= 0x7F && r <= 0x9F): // C0, DEL, C1
		return true
	case r == 0x2028 || r == 0x2029: // line and paragraph separator
		return true
	case (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069): // LRE…RLO, LRI…PDI
		return true
	}
	return false
}

// IsDefaultAlias reports whether alias names a service default key.
func IsDefaultAlias(alias string) bool { return strings.HasSuffix(alias, DefaultSuffix) }

// CheckKeyAlias validates a user-supplied key_alias (KMS.0204, KMS.1101):
// 1-255 characters of [a-zA-Z0-9:/_-], not ending in "/default" (reserved
// for service default keys).
func CheckKeyAlias(alias string) error {
	if alias == "" {
		return kmserr.MissingParameter.Msgf("key_alias is required.")
	}
	if !aliasRe.MatchString(alias) {
		return kmserr.InvalidAlias.Msgf("key_alias must be 1-%d characters of a-z, A-Z, 0-9, ':', '/', '_', '-'.", MaxAliasChars)
	}
	if IsDefaultAlias(alias) {
		return kmserr.InvalidAlias.Msgf("key_alias must not end with %q: that suffix is reserved for default keys.", DefaultSuffix)
	}
	return nil
}

// ParsePendingDays parses pending_days: an integer string 7-1096 (KMS.1401).
func ParsePendingDays(s string) (int, error) {
	if s == "" {
		return 0, kmserr.MissingParameter.Msgf("pending_days is required.")
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < MinPendingDays || n > MaxPendingDays {
		return 0, kmserr.InvalidPendingDays
	}
	return n, nil
}

// MaxProjectNameChars bounds a project name (a region id).
const MaxProjectNameChars = 64

var projectNameRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// CheckProjectName validates the name of a project, which is its region id
// (local-1, cn-north-4): lower-case letters and digits in words joined by
// single hyphens, at most 64 characters. Clients find a region's endpoint
// in HUAWEICLOUD_SDK_REGION_KMS_<NAME>, the name upper-cased with '-' as
// '_': these names are exactly those that make a valid variable name, each
// its own (upper case or '_' would let two names share one).
func CheckProjectName(name string) error {
	if len(name) > MaxProjectNameChars || !projectNameRe.MatchString(name) {
		return fmt.Errorf("invalid project name %q: a region id is lower-case letters and digits in words joined by single hyphens (local-1, cn-north-4), at most %d characters", name, MaxProjectNameChars)
	}
	return nil
}
