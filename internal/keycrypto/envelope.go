package keycrypto

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"fmt"

	"github.com/kmsd/kmsd/internal/domain"
)

// Envelope format 1 (docs/ciphertext.md is the normative description):
//
//	off  size  field
//	0    1     magic 0x6B ('k')
//	1    1     format version 0x01
//	2    2     L, little-endian uint16 = length of bytes 0 .. end of key id
//	4    1     kind (KindData, KindDataKey)
//	5    1     algorithm (AlgAES256GCM, AlgSM4GCM)
//	6    4     key version, big-endian uint32
//	10   12    GCM nonce
//	22   30    reserved, all zero (pads the envelope to the real service's sizes)
//	52   n+16  GCM ciphertext and 16-byte tag
//	L-36 36    key id, ASCII
//	L    4     key version again, big-endian uint32 (must equal bytes 6..9)
//	L+4  32    SHA-256 of bytes 0 .. L+3
const (
	envMagic         = 0x6B
	envFormatV1      = 0x01
	offLength        = 2
	offKind          = 4
	offAlg           = 5
	offVersion       = 6
	offNonce         = 10
	nonceSize        = 12
	offReserved      = offNonce + nonceSize
	reservedSize     = 30
	prefixSize       = offReserved + reservedSize // 52: start of the GCM body
	tagSize          = 16
	keyIDSize        = 36
	trailerSize      = 4 + sha256.Size
	envelopeOverhead = prefixSize + tagSize + keyIDSize + trailerSize // 140
	// MaxSealPlaintext is the largest plaintext Seal accepts (L is 16 bits).
	MaxSealPlaintext = 0xFFFF - (prefixSize + tagSize + keyIDSize)
)

// Kind says what an envelope protects. It is authenticated, so an envelope of
// one kind cannot be passed off as another; callers check Header.Kind.
type Kind byte

// Envelope kinds.
const (
	KindData    Kind = 0x01 // encrypt-data ciphertext (base64 on the wire)
	KindDataKey Kind = 0x02 // data encryption key envelope (hex on the wire)
)

// Envelope algorithm ids (Header.Alg).
const (
	AlgAES256GCM byte = 0x01 // AES-256-GCM, spec AES_256
	AlgSM4GCM    byte = 0x02 // SM4-GCM (128-bit key), spec SM4
)

// Header is the authenticated metadata of an envelope.
type Header struct {
	Kind    Kind
	KeyID   string
	Version uint32
	Alg     byte
}

// Spec returns the key spec the header's algorithm needs (AES_256 or SM4).
func (h Header) Spec() domain.KeySpec {
	if h.Alg == AlgSM4GCM {
		return domain.SpecSM4
	}
	return domain.SpecAES256
}

// algForSpec returns the envelope algorithm id of a symmetric spec, 0 if none.
func algForSpec(spec domain.KeySpec) byte {
	switch spec {
	case domain.SpecAES256:
		return AlgAES256GCM
	case domain.SpecSM4:
		return AlgSM4GCM
	}
	return 0
}

// validKeyID reports whether id is 36 printable ASCII characters.
func validKeyID(id []byte) bool {
	if len(id) != keyIDSize {
		return false
	}
	for _, c := range id {
		if c < 0x21 || c > 0x7E {
			return false
		}
	}
	return true
}

// ParseHeader checks an envelope's structure and unkeyed SHA-256 trailer and
// returns its header, without any key. It does not authenticate the
// ciphertext (Open does). Every error wraps ErrCiphertext; an unknown format
// version is an error.
func ParseHeader(ct []byte) (Header, error) {
	h, err := PeekHeader(ct)
	if err != nil {
		return h, err
	}
	sum := sha256.Sum256(ct[:len(ct)-sha256.Size])
	if subtle.ConstantTimeCompare(sum[:], ct[len(ct)-sha256.Size:]) != 1 {
		return Header{}, fmt.Errorf("%w: checksum mismatch", ErrCiphertext)
	}
	return h, nil
}

// PeekHeader is ParseHeader without the SHA-256 trailer check: the
// structure only. decrypt-data uses it to find the key id and version before
// Open, which checks the trailer and authenticates everything, so the
// envelope is hashed once per decryption. (The trailer is unkeyed: anyone
// can forge one, so skipping it here lets nothing through that Open would
// accept.)
func PeekHeader(ct []byte) (Header, error) {
	bad := func(why string) (Header, error) { return Header{}, fmt.Errorf("%w: %s", ErrCiphertext, why) }
	if len(ct) < envelopeOverhead {
		return bad("too short")
	}
	if ct[0] != envMagic {
		return bad("not a kmsd envelope")
	}
	if ct[1] != envFormatV1 {
		return bad(fmt.Sprintf("unknown format version %d", ct[1]))
	}
	l := int(binary.LittleEndian.Uint16(ct[offLength:]))
	if l+trailerSize != len(ct) {
		return bad("length field does not match")
	}
	h := Header{
		Kind:    Kind(ct[offKind]),
		Alg:     ct[offAlg],
		Version: binary.BigEndian.Uint32(ct[offVersion:]),
		KeyID:   string(ct[l-keyIDSize : l]),
	}
	if h.Kind != KindData && h.Kind != KindDataKey {
		return bad("unknown kind")
	}
	if h.Alg != AlgAES256GCM && h.Alg != AlgSM4GCM {
		return bad("unknown algorithm")
	}
	for _, b := range ct[offReserved:prefixSize] {
		if b != 0 {
			return bad("reserved bytes not zero")
		}
	}
	if !validKeyID(ct[l-keyIDSize : l]) {
		return bad("malformed key id")
	}
	if binary.BigEndian.Uint32(ct[l:]) != h.Version {
		return bad("key version copies differ")
	}
	return h, nil
}
