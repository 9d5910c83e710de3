package keycrypto

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	_ "crypto/sha1" // registers crypto.SHA1 for RSAES_OAEP_SHA_1
	_ "crypto/sha256"
	"errors"
	"fmt"

	"github.com/emmansun/gmsm/sm2"

	"github.com/kmsd/kmsd/internal/domain"
)

// oaepHash returns the OAEP hash (also the MGF1 hash) of an RSAES algorithm.
func oaepHash(alg string) (crypto.Hash, bool) {
	switch alg {
	case AlgRSAESOAEPSHA256:
		return crypto.SHA256, true
	case AlgRSAESOAEPSHA1:
		return crypto.SHA1, true
	}
	return 0, false
}

// EncryptAsym encrypts plaintext with an asymmetric key's public half.
// RSA specs: RSAES_OAEP_SHA_256 or RSAES_OAEP_SHA_1 (MGF1 with the same hash,
// empty label); output is the raw k-byte RSA ciphertext; plaintext limit
// k-2*hLen-2 bytes (190/318/446 for SHA-256). SM2: SM2_ENCRYPT (GB/T
// 32918.4), output ASN.1 DER (GM/T 0009 SEQUENCE{x, y, C3 hash, C2}); empty
// plaintext ErrPlaintextEmpty, no length limit beyond the caller's.
// Other algorithm for the spec: ErrAlgorithm; specs that cannot encrypt
// (symmetric, EC, HMAC): ErrUnsupported.
func EncryptAsym(spec domain.KeySpec, material []byte, alg string, plaintext []byte) ([]byte, error) {
	switch spec.Class() {
	case domain.ClassRSA:
		h, ok := oaepHash(alg)
		if !ok {
			return nil, fmt.Errorf("%w: %q with %s", ErrAlgorithm, alg, spec)
		}
		k, err := parseRSA(spec, material)
		if err != nil {
			return nil, err
		}
		if max := k.Size() - 2*h.Size() - 2; len(plaintext) > max {
			return nil, fmt.Errorf("%w: %d bytes, %s with %s takes at most %d", ErrPlaintextTooLong, len(plaintext), alg, spec, max)
		}
		ct, err := rsa.EncryptOAEP(h.New(), rand.Reader, &k.PublicKey, plaintext, nil)
		if err != nil {
			return nil, fmt.Errorf("keycrypto: RSA-OAEP: %w", err)
		}
		return ct, nil
	case domain.ClassSM2:
		if alg != AlgSM2Encrypt {
			return nil, fmt.Errorf("%w: %q with %s", ErrAlgorithm, alg, spec)
		}
		k, err := parseSM2(material)
		if err != nil {
			return nil, err
		}
		if len(plaintext) == 0 {
			return nil, ErrPlaintextEmpty
		}
		return encryptSM2(k, plaintext)
	}
	return nil, fmt.Errorf("%w: %q cannot encrypt asymmetrically", ErrUnsupported, spec)
}

// sm2CheckedBelow is the plaintext length under which encryptSM2 checks
// that its ciphertext decrypts. gmsm v0.15.5 gets SM2 wrong when the KDF
// output t or the ciphertext C2 is all zero, which happens with
// probability 2^-8 per plaintext byte: its encryption then retries with a
// corrupted public point (it multiplies the point in place), and its
// decryption rejects an all-zero C2 (it should reject an all-zero t). From
// 8 bytes on the probability is 2^-64 or less.
const sm2CheckedBelow = 8

// encryptSM2 encrypts with sm2.EncryptASN1; a short plaintext's ciphertext
// is decrypted again and re-encrypted until it does decrypt, so every SM2
// ciphertext kmsd returns decrypts (FuzzDecryptAsym,
// TestSM2ShortPlaintextsRoundTrip).
func encryptSM2(k *sm2.PrivateKey, plaintext []byte) ([]byte, error) {
	for range 100 {
		ct, err := sm2.EncryptASN1(rand.Reader, &k.PublicKey, plaintext)
		if err != nil {
			return nil, fmt.Errorf("keycrypto: SM2 encrypt: %w", err)
		}
		if len(plaintext) >= sm2CheckedBelow {
			return ct, nil
		}
		if pt, err := sm2.Decrypt(k, ct); err == nil && bytes.Equal(pt, plaintext) {
			return ct, nil
		}
	}
	return nil, errors.New("keycrypto: SM2 encrypt: no decryptable ciphertext in 100 attempts")
}

// DecryptAsym reverses EncryptAsym. SM2 ciphertexts may be ASN.1 DER or the
// raw C1||C3||C2 concatenation (first byte 0x04). Algorithm checks as in
// EncryptAsym; every decryption failure (including bad material) returns the
// bare ErrCiphertext.
func DecryptAsym(spec domain.KeySpec, material []byte, alg string, ct []byte) ([]byte, error) {
	switch spec.Class() {
	case domain.ClassRSA:
		h, ok := oaepHash(alg)
		if !ok {
			return nil, fmt.Errorf("%w: %q with %s", ErrAlgorithm, alg, spec)
		}
		k, err := parseRSA(spec, material)
		if err != nil {
			return nil, ErrCiphertext
		}
		pt, err := rsa.DecryptOAEP(h.New(), nil, k, ct, nil)
		if err != nil {
			return nil, ErrCiphertext
		}
		return pt, nil
	case domain.ClassSM2:
		if alg != AlgSM2Encrypt {
			return nil, fmt.Errorf("%w: %q with %s", ErrAlgorithm, alg, spec)
		}
		k, err := parseSM2(material)
		if err != nil || len(ct) == 0 {
			return nil, ErrCiphertext
		}
		pt, err := sm2.Decrypt(k, ct)
		if err != nil {
			return nil, ErrCiphertext
		}
		return pt, nil
	}
	return nil, fmt.Errorf("%w: %q cannot decrypt asymmetrically", ErrUnsupported, spec)
}
