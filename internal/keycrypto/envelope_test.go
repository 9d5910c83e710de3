package keycrypto

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"regexp"
	"testing"

	"github.com/kmsd/kmsd/internal/domain"
)

const testKeyID = "25abe69f-ae10-44cd-bc87-1bda1de3b7d7"

func TestSealOpenRoundTrip(t *testing.T) {
	for _, spec := range specsOf(domain.ClassSymmetric) {
		for _, kind := range []Kind{KindData, KindDataKey} {
			for _, n := range []int{0, 1, 15, 16, 64, 4096, MaxSealPlaintext} {
				for _, aad := range [][]byte{nil, []byte("project=alpha")} {
					pt := bytes.Repeat([]byte{0xA5}, n)
					ct, err := Seal(kind, spec, testKeyID, 3, material(t, spec), pt, aad)
					if err != nil {
						t.Fatalf("%s/%d/%d: Seal: %v", spec, kind, n, err)
					}
					if len(ct) != n+envelopeOverhead {
						t.Fatalf("len = %d, want %d", len(ct), n+envelopeOverhead)
					}
					h, err := ParseHeader(ct)
					if err != nil || h != (Header{Kind: kind, KeyID: testKeyID, Version: 3, Alg: algForSpec(spec)}) || h.Spec() != spec {
						t.Fatalf("ParseHeader = %+v, %v", h, err)
					}
					got, err := Open(spec, material(t, spec), ct, aad)
					if err != nil || !bytes.Equal(got, pt) {
						t.Fatalf("%s/%d/%d: Open: %v", spec, kind, n, err)
					}
				}
			}
		}
	}
}

func TestSealNoncesDiffer(t *testing.T) {
	m := material(t, domain.SpecAES256)
	a, _ := Seal(KindData, domain.SpecAES256, testKeyID, 0, m, []byte("x"), nil)
	b, _ := Seal(KindData, domain.SpecAES256, testKeyID, 0, m, []byte("x"), nil)
	if bytes.Equal(a, b) {
		t.Fatal("two seals of the same plaintext are identical")
	}
}

// TestEnvelopeSizesFitAPIRegex checks decrypt-data's cipher_text regex
// ^[0-9a-zA-Z+/=]{128,5648}$ and the legacy 188-character minimum.
func TestEnvelopeSizesFitAPIRegex(t *testing.T) {
	// Go's regexp caps repeat counts at 1000: check the class and the length apart.
	re := regexp.MustCompile(`^[0-9a-zA-Z+/=]+$`)
	for _, n := range []int{1, 4096} {
		ct, err := Seal(KindData, domain.SpecAES256, testKeyID, 0, material(t, domain.SpecAES256), make([]byte, n), nil)
		if err != nil {
			t.Fatal(err)
		}
		b64 := base64.StdEncoding.EncodeToString(ct)
		if !re.MatchString(b64) || len(b64) < 188 || len(b64) > 5648 {
			t.Fatalf("plaintext %d bytes -> %d base64 chars, outside 188..5648", n, len(b64))
		}
		t.Logf("plaintext %d bytes -> %d bytes -> %d base64 chars", n, len(ct), len(b64))
	}
}

func TestSealRejects(t *testing.T) {
	aes := material(t, domain.SpecAES256)
	cases := []struct {
		name  string
		kind  Kind
		spec  domain.KeySpec
		keyID string
		key   []byte
		n     int
		want  error
	}{
		{"RSA spec", KindData, domain.SpecRSA2048, testKeyID, material(t, domain.SpecRSA2048), 1, ErrUnsupported},
		{"HMAC spec", KindData, domain.SpecHMAC256, testKeyID, make([]byte, 32), 1, ErrUnsupported},
		{"short key", KindData, domain.SpecAES256, testKeyID, aes[:16], 1, ErrMaterialLength},
		{"short key id", KindData, domain.SpecAES256, testKeyID[:35], aes, 1, ErrKeyID},
		{"key id with space", KindData, domain.SpecAES256, " " + testKeyID[1:], aes, 1, ErrKeyID},
		{"kind 0", Kind(0), domain.SpecAES256, testKeyID, aes, 1, ErrUnsupported},
		{"too long", KindData, domain.SpecAES256, testKeyID, aes, MaxSealPlaintext + 1, ErrPlaintextTooLong},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Seal(tc.kind, tc.spec, tc.keyID, 1, tc.key, make([]byte, tc.n), nil)
			wantErr(t, err, tc.want)
		})
	}
}

// sealed returns a fresh AES and SM4 envelope of a 32-byte plaintext.
func sealed(t *testing.T) map[domain.KeySpec][]byte {
	out := map[domain.KeySpec][]byte{}
	for _, spec := range specsOf(domain.ClassSymmetric) {
		ct, err := Seal(KindDataKey, spec, testKeyID, 7, material(t, spec), make([]byte, 32), []byte("aad"))
		if err != nil {
			t.Fatal(err)
		}
		out[spec] = ct
	}
	return out
}

// mustNotOpen fails unless Open returns exactly ErrCiphertext.
func mustNotOpen(t *testing.T, spec domain.KeySpec, key, ct, aad []byte, what string) {
	t.Helper()
	pt, err := Open(spec, key, ct, aad)
	if err != ErrCiphertext || pt != nil {
		t.Fatalf("%s: Open = %x, %v; want bare ErrCiphertext", what, pt, err)
	}
}

func TestOpenRejectsEveryByteFlip(t *testing.T) {
	for spec, ct := range sealed(t) {
		for i := range ct {
			for _, bit := range []byte{0x01, 0x80} {
				bad := bytes.Clone(ct)
				bad[i] ^= bit
				mustNotOpen(t, spec, material(t, spec), bad, []byte("aad"), "flip")
			}
		}
	}
}

func TestOpenRejectsTruncationAndExtension(t *testing.T) {
	for spec, ct := range sealed(t) {
		for n := 0; n < len(ct); n++ {
			mustNotOpen(t, spec, material(t, spec), ct[:n], []byte("aad"), "truncated")
		}
		mustNotOpen(t, spec, material(t, spec), append(bytes.Clone(ct), 0), []byte("aad"), "extended")
	}
}

func TestOpenRejectsWrongContext(t *testing.T) {
	cts := sealed(t)
	other, _ := Generate(domain.SpecAES256)
	aes, sm4 := domain.SpecAES256, domain.SpecSM4
	cases := []struct {
		name string
		spec domain.KeySpec
		key  []byte
		ct   []byte
		aad  []byte
	}{
		{"wrong aad", aes, material(t, aes), cts[aes], []byte("aae")},
		{"missing aad", aes, material(t, aes), cts[aes], nil},
		{"aad given, none used", aes, material(t, aes), mustSeal(t, aes, nil), []byte("aad")},
		{"wrong key", aes, other, cts[aes], []byte("aad")},
		{"SM4 key on AES envelope", sm4, material(t, sm4), cts[aes], []byte("aad")},
		{"AES key on SM4 envelope", aes, material(t, aes), cts[sm4], []byte("aad")},
		{"HMAC spec", domain.SpecHMAC256, material(t, aes), cts[aes], []byte("aad")},
		{"short key", aes, material(t, aes)[:16], cts[aes], []byte("aad")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { mustNotOpen(t, tc.spec, tc.key, tc.ct, tc.aad, tc.name) })
	}
}

func mustSeal(t *testing.T, spec domain.KeySpec, aad []byte) []byte {
	ct, err := Seal(KindDataKey, spec, testKeyID, 7, material(t, spec), make([]byte, 32), aad)
	if err != nil {
		t.Fatal(err)
	}
	return ct
}

// reframe applies edit to a copy of ct and recomputes the SHA-256 trailer,
// so only the GCM binding of the header can catch the change.
func reframe(ct []byte, edit func(b []byte)) []byte {
	b := bytes.Clone(ct)
	edit(b)
	sum := sha256.Sum256(b[:len(b)-sha256.Size])
	copy(b[len(b)-sha256.Size:], sum[:])
	return b
}

func TestOpenRejectsHeaderSwap(t *testing.T) {
	for spec, ct := range sealed(t) {
		l := len(ct) - trailerSize
		cases := []struct {
			name string
			edit func(b []byte)
		}{
			{"version", func(b []byte) {
				binary.BigEndian.PutUint32(b[offVersion:], 8)
				binary.BigEndian.PutUint32(b[l:], 8)
			}},
			{"kind", func(b []byte) { b[offKind] = byte(KindData) }},
			{"key id", func(b []byte) { copy(b[l-keyIDSize:], "ffffffff-ae10-44cd-bc87-1bda1de3b7d7") }},
			{"nonce", func(b []byte) { b[offNonce] ^= 1 }},
		}
		for _, tc := range cases {
			bad := reframe(ct, tc.edit)
			if _, err := ParseHeader(bad); err != nil {
				t.Fatalf("%s %s: reframed envelope should parse: %v", spec, tc.name, err)
			}
			mustNotOpen(t, spec, material(t, spec), bad, []byte("aad"), tc.name)
		}
	}
}

func TestParseHeaderRejects(t *testing.T) {
	ct := sealed(t)[domain.SpecAES256]
	l := len(ct) - trailerSize
	cases := []struct {
		name string
		ct   []byte
	}{
		{"empty", nil},
		{"too short", ct[:envelopeOverhead-1]},
		{"bad magic", reframe(ct, func(b []byte) { b[0] = 0x02 })},
		{"future format version", reframe(ct, func(b []byte) { b[1] = 0x02 })},
		{"format version 0", reframe(ct, func(b []byte) { b[1] = 0x00 })},
		{"length field", reframe(ct, func(b []byte) { b[offLength]++ })},
		{"checksum", func() []byte { b := bytes.Clone(ct); b[len(b)-1] ^= 1; return b }()},
		{"kind", reframe(ct, func(b []byte) { b[offKind] = 3 })},
		{"alg", reframe(ct, func(b []byte) { b[offAlg] = 9 })},
		{"reserved", reframe(ct, func(b []byte) { b[prefixSize-1] = 1 })},
		{"key id control char", reframe(ct, func(b []byte) { b[l-1] = '\n' })},
		{"version copies differ", reframe(ct, func(b []byte) { b[l+3]++ })},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseHeader(tc.ct)
			wantErr(t, err, ErrCiphertext)
		})
	}
}

func TestPeekHeaderSkipsOnlyTheTrailer(t *testing.T) {
	key := make([]byte, 32)
	ct, err := Seal(KindData, domain.SpecAES256, "0d0466b0-e727-4d9c-b35d-f84bb474a37f", 3, key, []byte("hi"), nil)
	if err != nil {
		t.Fatal(err)
	}
	ct[len(ct)-1] ^= 1 // break the SHA-256 trailer only
	if _, err := ParseHeader(ct); !errors.Is(err, ErrCiphertext) {
		t.Fatalf("ParseHeader accepted a bad trailer: %v", err)
	}
	h, err := PeekHeader(ct)
	if err != nil || h.Version != 3 || h.KeyID != "0d0466b0-e727-4d9c-b35d-f84bb474a37f" {
		t.Fatalf("PeekHeader: %+v %v", h, err)
	}
	if _, err := Open(domain.SpecAES256, key, ct, nil); !errors.Is(err, ErrCiphertext) {
		t.Fatalf("Open accepted a bad trailer: %v", err)
	}
	ct[1] = 9 // unknown format version: structural, so Peek refuses too
	if _, err := PeekHeader(ct); !errors.Is(err, ErrCiphertext) {
		t.Fatalf("PeekHeader accepted format 9: %v", err)
	}
}
