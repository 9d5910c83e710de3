package keycrypto

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"slices"
	"testing"

	"github.com/kmsd/kmsd/internal/domain"
)

// fuzzSeeds returns the doc vectors' ciphertexts plus short garbage.
func fuzzSeeds() [][]byte {
	seeds := [][]byte{nil, {envMagic}, {envMagic, envFormatV1, 0xFF, 0xFF}, bytes.Repeat([]byte{0}, envelopeOverhead)}
	for _, v := range envelopeVectors {
		ct, _ := hex.DecodeString(v.ciphertext)
		seeds = append(seeds, ct)
	}
	return seeds
}

// envelopeFields are the fields of an envelope as FuzzParseHeader builds
// it, independently of Seal: any values, valid or not.
type envelopeFields struct {
	magic, format, kind, alg byte
	version, version2        uint32 // the copies at offset 6 and after the key id
	reserved                 [reservedSize]byte
	body                     []byte // nonce excluded: GCM ciphertext and tag
	keyID                    []byte
}

// build lays the fields out as docs/ciphertext.md describes, with a correct
// length field and SHA-256 trailer.
func (e envelopeFields) build() []byte {
	ct := []byte{e.magic, e.format, 0, 0, e.kind, e.alg}
	ct = binary.BigEndian.AppendUint32(ct, e.version)
	ct = append(ct, make([]byte, nonceSize)...)
	ct = append(ct, e.reserved[:]...)
	ct = append(ct, e.body...)
	ct = append(ct, e.keyID...)
	binary.LittleEndian.PutUint16(ct[offLength:], uint16(len(ct)))
	ct = binary.BigEndian.AppendUint32(ct, e.version2)
	sum := sha256.Sum256(ct)
	return append(ct, sum[:]...)
}

// valid is the format's rule for the fields, from docs/ciphertext.md.
func (e envelopeFields) valid() bool {
	printable := len(e.keyID) == keyIDSize && !slices.ContainsFunc(e.keyID, func(c byte) bool { return c < 0x21 || c > 0x7E })
	return e.magic == envMagic && e.format == envFormatV1 && (Kind(e.kind) == KindData || Kind(e.kind) == KindDataKey) &&
		(e.alg == AlgAES256GCM || e.alg == AlgSM4GCM) && e.version == e.version2 && e.reserved == [reservedSize]byte{} &&
		len(e.body) >= tagSize && printable && prefixSize+len(e.body)+keyIDSize <= 0xFFFF
}

// FuzzParseHeader checks ParseHeader in two ways. The fuzzed bytes as they
// are: every error wraps ErrCiphertext, and an accepted header is what the
// bytes at the documented offsets say. And an envelope built from fuzzed
// fields with a correct length and trailer (which byte mutation alone almost
// never produces), then damaged in one fuzzed way (a field, the length, the
// trailer, truncation, extension, or any byte with the trailer recomputed):
// ParseHeader accepts it exactly when the fields read at the documented
// offsets follow the format's rules and the trailer is right, and returns
// those fields.
func FuzzParseHeader(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s, byte(KindData), AlgAES256GCM, uint32(1), []byte("b168fe00-441c-4f1a-9a43-c8a9d5a2f1e6"), make([]byte, 24), byte(0), byte(0))
	}
	f.Add([]byte(nil), byte(KindDataKey), AlgSM4GCM, uint32(0x01020304), []byte("0d0466b0-e727-4d9c-b35d-f84bb474a37f"), make([]byte, tagSize), byte(1), byte(7))
	f.Add([]byte(nil), byte(3), AlgSM4GCM, uint32(0), []byte("short"), make([]byte, 3), byte(5), byte(1))
	for damage := range byte(10) {
		f.Add([]byte(nil), byte(KindData), AlgAES256GCM, uint32(damage), []byte("b168fe00-441c-4f1a-9a43-c8a9d5a2f1e6"), make([]byte, 40), damage, byte(0x80))
	}
	f.Fuzz(func(t *testing.T, raw []byte, kind, alg byte, version uint32, keyID, body []byte, damage, x byte) {
		h, err := ParseHeader(raw)
		switch {
		case err != nil && !errors.Is(err, ErrCiphertext):
			t.Fatalf("raw: error %v does not wrap ErrCiphertext", err)
		case err == nil:
			l := int(binary.LittleEndian.Uint16(raw[offLength:]))
			if h.Kind != Kind(raw[offKind]) || h.Alg != raw[offAlg] || h.Version != binary.BigEndian.Uint32(raw[offVersion:]) ||
				h.KeyID != string(raw[l-keyIDSize:l]) || len(raw) != l+trailerSize {
				t.Fatalf("raw: header %+v disagrees with the bytes %x", h, raw)
			}
		}

		e := envelopeFields{magic: envMagic, format: envFormatV1, kind: kind, alg: alg,
			version: version, version2: version, body: body, keyID: keyID}
		switch damage % 10 {
		case 1:
			e.magic = x
		case 2:
			e.format = x
		case 3:
			e.reserved[int(x)%reservedSize] = x | 1
		case 4:
			e.version2 = version ^ uint32(x|1)
		}
		ct := e.build()
		trailerOK := true
		switch damage % 10 {
		case 5: // the length field
			binary.LittleEndian.PutUint16(ct[offLength:], binary.LittleEndian.Uint16(ct[offLength:])+uint16(x|1))
		case 6: // the trailer
			ct[len(ct)-1-int(x)%sha256.Size] ^= x | 1
			trailerOK = false
		case 7: // truncated
			ct = ct[:len(ct)-1-int(x)%len(ct)]
			trailerOK = false
		case 8: // extended
			ct = append(ct, x)
			trailerOK = false
		case 9: // any byte but the trailer's, the trailer recomputed
			ct[int(x)%(len(ct)-sha256.Size)] ^= x | 1
			sum := sha256.Sum256(ct[:len(ct)-sha256.Size])
			copy(ct[len(ct)-sha256.Size:], sum[:])
		}
		// What the bytes say, read at the documented offsets.
		pe, split := parseFields(ct)
		want := split && trailerOK && pe.valid()
		h, err = ParseHeader(ct)
		switch {
		case err != nil && !errors.Is(err, ErrCiphertext):
			t.Fatalf("built: error %v does not wrap ErrCiphertext", err)
		case want && err != nil:
			t.Fatalf("built: valid envelope %x (%+v) rejected: %v", ct, pe, err)
		case !want && err == nil:
			t.Fatalf("built: invalid envelope %x (damage %d) accepted as %+v", ct, damage%10, h)
		case want && h != (Header{Kind: Kind(pe.kind), KeyID: string(pe.keyID), Version: pe.version, Alg: pe.alg}):
			t.Fatalf("built: header %+v, want the fields %+v", h, pe)
		}
		if want && damage%10 == 0 && len(keyID) == keyIDSize && string(pe.keyID) != string(keyID) {
			t.Fatalf("built: key id %q read back as %q", keyID, pe.keyID)
		}
	})
}

// parseFields splits ct (with a correct trailer) back into fields at the
// documented offsets, using its length field; false if it cannot be split.
func parseFields(ct []byte) (envelopeFields, bool) {
	if len(ct) < prefixSize+keyIDSize+trailerSize {
		return envelopeFields{}, false
	}
	l := int(binary.LittleEndian.Uint16(ct[offLength:]))
	if l+trailerSize != len(ct) || l < prefixSize+keyIDSize {
		return envelopeFields{}, false
	}
	e := envelopeFields{magic: ct[0], format: ct[1], kind: ct[offKind], alg: ct[offAlg],
		version: binary.BigEndian.Uint32(ct[offVersion:]), version2: binary.BigEndian.Uint32(ct[l:]),
		body: ct[prefixSize : l-keyIDSize], keyID: ct[l-keyIDSize : l]}
	copy(e.reserved[:], ct[offReserved:prefixSize])
	return e, true
}

// FuzzOpen checks Open in two ways. The fuzzed bytes as they are, with the
// doc vectors' keys: every error is the bare ErrCiphertext, and Open accepts
// nothing ParseHeader rejects. And an envelope sealed from fuzzed
// plaintext, aad, key id, version and kind: it opens to the plaintext with
// the same aad only, not with the other spec, and changing any one byte —
// even with the unkeyed trailer recomputed, as anyone can — makes it fail.
func FuzzOpen(f *testing.F) {
	for _, v := range envelopeVectors {
		ct, _ := hex.DecodeString(v.ciphertext)
		pt, _ := hex.DecodeString(v.plaintext)
		f.Add(ct, []byte(v.aad), pt, []byte(v.aad), v.keyID, v.version, byte(v.kind), v.spec == domain.SpecSM4, uint16(0), byte(0))
		f.Add(ct, []byte("wrong"), pt, []byte("other"), v.keyID, v.version, byte(v.kind), v.spec != domain.SpecSM4, uint16(60), byte(1))
	}
	for _, s := range fuzzSeeds()[:4] {
		f.Add(s, []byte(nil), []byte{}, []byte{}, "0d0466b0-e727-4d9c-b35d-f84bb474a37f", uint32(7), byte(KindData), false, uint16(5), byte(0x80))
	}
	keys := map[domain.KeySpec][]byte{}
	for _, v := range envelopeVectors {
		keys[v.spec], _ = hex.DecodeString(v.key)
	}
	f.Fuzz(func(t *testing.T, raw, rawAAD, pt, aad []byte, keyID string, version uint32, kind byte, sm4 bool, pos uint16, flip byte) {
		for spec, key := range keys {
			out, err := Open(spec, key, raw, rawAAD)
			if err != nil {
				if err != ErrCiphertext || out != nil {
					t.Fatalf("raw: Open error %v, want bare ErrCiphertext", err)
				}
				continue
			}
			if _, err := ParseHeader(raw); err != nil {
				t.Fatalf("raw: Open accepted what ParseHeader rejects: %v", err)
			}
		}

		spec, other := domain.SpecAES256, domain.SpecSM4
		if sm4 {
			spec, other = other, spec
		}
		nonce := sha256.Sum256(append(pt, aad...)) // deterministic, so failures reproduce
		ct, err := seal(Kind(kind), spec, keyID, version, keys[spec], pt, aad, nonce[:nonceSize])
		if err != nil {
			if !errors.Is(err, ErrKeyID) && !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrPlaintextTooLong) {
				t.Fatalf("seal: unexpected error %v", err)
			}
			return
		}
		if h, err := ParseHeader(ct); err != nil || h != (Header{Kind: Kind(kind), KeyID: keyID, Version: version, Alg: algForSpec(spec)}) {
			t.Fatalf("ParseHeader of a sealed envelope: %+v, %v", h, err)
		}
		if got, err := Open(spec, keys[spec], ct, aad); err != nil || !bytes.Equal(got, pt) {
			t.Fatalf("Open of a sealed envelope = %x, %v; want %x", got, err, pt)
		}
		if _, err := Open(other, keys[other], ct, aad); err != ErrCiphertext {
			t.Fatalf("Open with the other spec's key: %v, want ErrCiphertext", err)
		}
		wrong := append(bytes.Clone(aad), flip)
		if _, err := Open(spec, keys[spec], ct, wrong); err != ErrCiphertext {
			t.Fatalf("Open with aad %x instead of %x: %v, want ErrCiphertext", wrong, aad, err)
		}
		if flip == 0 {
			return
		}
		i := int(pos) % len(ct)
		bad := bytes.Clone(ct)
		bad[i] ^= flip
		if _, err := Open(spec, keys[spec], bad, aad); err != ErrCiphertext {
			t.Fatalf("byte %d changed: Open = %v, want ErrCiphertext", i, err)
		}
		if i < len(ct)-sha256.Size {
			sum := sha256.Sum256(bad[:len(bad)-sha256.Size])
			copy(bad[len(bad)-sha256.Size:], sum[:])
			if got, err := Open(spec, keys[spec], bad, aad); err != ErrCiphertext {
				t.Fatalf("byte %d changed, trailer recomputed: Open = %x, %v; want ErrCiphertext", i, got, err)
			}
		}
	})
}

// FuzzDecryptAsym checks the SM2 and RSA decrypters (RSA_2048 with both
// OAEP hashes). Fuzzed ciphertexts as they are: every failure is the bare
// ErrCiphertext, and what decrypts is one of the seed plaintexts (forging a
// ciphertext is infeasible; re-encoding one, e.g. SM2 DER to C1C3C2, is
// allowed). And a fuzzed plaintext encrypted with each: it decrypts to
// itself, and a ciphertext with one byte changed does not decrypt.
func FuzzDecryptAsym(f *testing.F) {
	type decrypter struct {
		spec     domain.KeySpec
		alg      string
		material []byte
	}
	var ds []decrypter
	for _, d := range []struct {
		spec domain.KeySpec
		alg  string
	}{{domain.SpecSM2, AlgSM2Encrypt}, {domain.SpecRSA2048, AlgRSAESOAEPSHA256}, {domain.SpecRSA2048, AlgRSAESOAEPSHA1}} {
		ds = append(ds, decrypter{d.spec, d.alg, material(f, d.spec)})
	}
	seedPlain := [][]byte{[]byte("seed"), bytes.Repeat([]byte{0xA5}, 190)}
	for _, d := range ds {
		for _, pt := range seedPlain {
			if ct, err := EncryptAsym(d.spec, d.material, d.alg, pt); err == nil {
				f.Add(ct, pt, uint16(1), byte(1))
			}
		}
	}
	f.Add([]byte{0x04}, []byte{}, uint16(0), byte(0))
	f.Add(append([]byte{0x04}, make([]byte, 97)...), []byte("x"), uint16(200), byte(0x80))
	f.Add([]byte{0x30, 0x03, 0x02, 0x01, 0x01}, bytes.Repeat([]byte{1}, 300), uint16(0), byte(0xFF))
	f.Add(make([]byte, 256), []byte("a"), uint16(255), byte(0x01))
	f.Fuzz(func(t *testing.T, ct, pt []byte, pos uint16, flip byte) {
		for _, d := range ds {
			got, err := DecryptAsym(d.spec, d.material, d.alg, ct)
			if err != nil {
				if err != ErrCiphertext {
					t.Fatalf("%s %s: %v, want bare ErrCiphertext", d.spec, d.alg, err)
				}
			} else if !slices.ContainsFunc(seedPlain, func(p []byte) bool { return bytes.Equal(p, got) }) {
				t.Fatalf("%s %s: fuzzed ciphertext %x decrypts to %x, which was never encrypted", d.spec, d.alg, ct, got)
			}

			enc, err := EncryptAsym(d.spec, d.material, d.alg, pt)
			if err != nil {
				if !errors.Is(err, ErrPlaintextTooLong) && !errors.Is(err, ErrPlaintextEmpty) {
					t.Fatalf("%s %s: encrypt %d bytes: %v", d.spec, d.alg, len(pt), err)
				}
				continue
			}
			if got, err := DecryptAsym(d.spec, d.material, d.alg, enc); err != nil || !bytes.Equal(got, pt) {
				t.Fatalf("%s %s: round trip = %x, %v; want %x", d.spec, d.alg, got, err, pt)
			}
			if flip == 0 {
				continue
			}
			bad := bytes.Clone(enc)
			bad[int(pos)%len(bad)] ^= flip
			if got, err := DecryptAsym(d.spec, d.material, d.alg, bad); err != ErrCiphertext {
				t.Fatalf("%s %s: byte %d of %x changed: %x, %v; want ErrCiphertext", d.spec, d.alg, int(pos)%len(bad), enc, got, err)
			}
		}
	})
}
