package keycrypto

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"github.com/emmansun/gmsm/sm4"

	"github.com/kmsd/kmsd/internal/domain"
)

// Seal encrypts plaintext under a symmetric key (AES_256 -> AES-256-GCM,
// SM4 -> SM4-GCM) into a format-1 envelope naming keyID (36 printable ASCII
// characters) and key version. The whole header and the caller's aad are
// authenticated (see envelopeAAD). The nonce is 12 random bytes, so a key
// version must not seal more than 2^32 messages.
//
// Errors: non-symmetric spec ErrUnsupported, bad material ErrMaterialLength,
// bad key id ErrKeyID, unknown kind ErrUnsupported, plaintext over
// MaxSealPlaintext ErrPlaintextTooLong.
func Seal(kind Kind, spec domain.KeySpec, keyID string, version uint32, material, plaintext, aad []byte) ([]byte, error) {
	nonce := make([]byte, nonceSize)
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("keycrypto: random: %w", err)
	}
	return seal(kind, spec, keyID, version, material, plaintext, aad, nonce)
}

// seal is Seal with a caller-chosen nonce; tests use it for fixed vectors.
func seal(kind Kind, spec domain.KeySpec, keyID string, version uint32, material, plaintext, aad, nonce []byte) ([]byte, error) {
	if kind != KindData && kind != KindDataKey {
		return nil, fmt.Errorf("%w: envelope kind %d", ErrUnsupported, kind)
	}
	if !validKeyID([]byte(keyID)) {
		return nil, ErrKeyID
	}
	if len(plaintext) > MaxSealPlaintext {
		return nil, fmt.Errorf("%w: %d bytes, at most %d", ErrPlaintextTooLong, len(plaintext), MaxSealPlaintext)
	}
	aead, err := envelopeAEAD(spec, material)
	if err != nil {
		return nil, err
	}
	total := envelopeOverhead + len(plaintext)
	l := total - trailerSize
	ct := make([]byte, prefixSize, total)
	ct[0], ct[1] = envMagic, envFormatV1
	binary.LittleEndian.PutUint16(ct[offLength:], uint16(l))
	ct[offKind], ct[offAlg] = byte(kind), algForSpec(spec)
	binary.BigEndian.PutUint32(ct[offVersion:], version)
	copy(ct[offNonce:], nonce)
	var tail [keyIDSize + 4]byte
	copy(tail[:], keyID)
	binary.BigEndian.PutUint32(tail[keyIDSize:], version)

	ct = aead.Seal(ct, nonce, plaintext, envelopeAAD(ct[:prefixSize], tail[:], aad))
	ct = append(ct, tail[:]...)
	sum := sha256.Sum256(ct)
	return append(ct, sum[:]...), nil
}

// Open authenticates and decrypts an envelope made by Seal with the key of
// spec and material and the same aad. It does not check the kind: callers
// that accept one kind only compare ParseHeader(ct).Kind first. Every
// failure (format, checksum, algorithm/spec mismatch, wrong key, wrong aad,
// tampering, truncation) returns the bare ErrCiphertext.
func Open(spec domain.KeySpec, material, ct, aad []byte) ([]byte, error) {
	h, err := ParseHeader(ct)
	if err != nil || algForSpec(spec) != h.Alg {
		return nil, ErrCiphertext
	}
	aead, err := envelopeAEAD(spec, material)
	if err != nil {
		return nil, ErrCiphertext
	}
	l := len(ct) - trailerSize
	body := ct[prefixSize : l-keyIDSize]
	pt, err := aead.Open(nil, ct[offNonce:offNonce+nonceSize], body, envelopeAAD(ct[:prefixSize], ct[l-keyIDSize:l+4], aad))
	if err != nil {
		return nil, ErrCiphertext
	}
	return pt, nil
}

// envelopeAAD is the GCM additional data: every envelope byte outside the
// GCM body and the SHA-256 trailer, then the caller's aad, each
// length-prefixed (big-endian uint32) so no two (header, aad) pairs give the
// same string:
//
//	u32(len(H)) || H || u32(len(aad)) || aad,  H = bytes[0:52] || key id || key version
func envelopeAAD(prefix, tail, aad []byte) []byte {
	hl := len(prefix) + len(tail)
	ad := make([]byte, 0, 8+hl+len(aad))
	ad = binary.BigEndian.AppendUint32(ad, uint32(hl))
	ad = append(append(ad, prefix...), tail...)
	ad = binary.BigEndian.AppendUint32(ad, uint32(len(aad)))
	return append(ad, aad...)
}

// envelopeAEAD returns the GCM AEAD of a symmetric spec's material.
func envelopeAEAD(spec domain.KeySpec, material []byte) (cipher.AEAD, error) {
	if algForSpec(spec) == 0 {
		return nil, fmt.Errorf("%w: %q cannot seal envelopes", ErrUnsupported, spec)
	}
	key, err := symmetricKey(spec, material)
	if err != nil {
		return nil, err
	}
	var block cipher.Block
	if spec == domain.SpecSM4 {
		block, err = sm4.NewCipher(key)
	} else {
		block, err = aes.NewCipher(key)
	}
	if err != nil {
		return nil, fmt.Errorf("keycrypto: %s cipher: %w", spec, err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("keycrypto: %s GCM: %w", spec, err)
	}
	return aead, nil
}
