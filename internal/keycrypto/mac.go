package keycrypto

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
	"hash"

	"github.com/emmansun/gmsm/sm3"

	"github.com/kmsd/kmsd/internal/domain"
)

// macHash maps each HMAC spec to its only mac_algorithm and hash.
var macHash = map[domain.KeySpec]struct {
	alg string
	new func() hash.Hash
}{
	domain.SpecHMAC256: {AlgHMACSHA256, sha256.New},
	domain.SpecHMAC384: {AlgHMACSHA384, sha512.New384},
	domain.SpecHMAC512: {AlgHMACSHA512, sha512.New},
	domain.SpecHMACSM3: {AlgHMACSM3, sm3.New},
}

// MAC returns the HMAC of message. alg must be the spec's own algorithm
// (HMAC_256 HMAC_SHA_256, HMAC_384 HMAC_SHA_384, HMAC_512 HMAC_SHA_512,
// HMAC_SM3 HMAC_SM3), else ErrAlgorithm; non-HMAC spec: ErrUnsupported; bad
// material: ErrMaterialLength. Output is 32/48/64/32 bytes.
func MAC(spec domain.KeySpec, material []byte, alg string, message []byte) ([]byte, error) {
	m, ok := macHash[spec]
	if !ok {
		return nil, fmt.Errorf("%w: %q cannot MAC", ErrUnsupported, spec)
	}
	if alg != m.alg {
		return nil, fmt.Errorf("%w: %q with %s", ErrAlgorithm, alg, spec)
	}
	key, err := symmetricKey(spec, material)
	if err != nil {
		return nil, err
	}
	h := hmac.New(m.new, key)
	h.Write(message)
	return h.Sum(nil), nil
}

// VerifyMAC recomputes the MAC and compares it in constant time. A MAC of the
// wrong length or value is (false, nil); errors as in MAC.
func VerifyMAC(spec domain.KeySpec, material []byte, alg string, message, mac []byte) (bool, error) {
	want, err := MAC(spec, material, alg, message)
	if err != nil {
		return false, err
	}
	return hmac.Equal(want, mac), nil
}

// DigestFor returns the data-key digest hash of a CMK spec: SM3 for SM4,
// SHA-256 for AES_256 (and for every other spec).
func DigestFor(spec domain.KeySpec) func() hash.Hash {
	if spec == domain.SpecSM4 {
		return sm3.New
	}
	return sha256.New
}

// DataKeyDigest returns DigestFor(spec) of dek: the 32-byte digest that
// encrypt-datakey expects after the DEK and decrypt-datakey reports as
// datakey_dgst.
func DataKeyDigest(spec domain.KeySpec, dek []byte) []byte {
	h := DigestFor(spec)()
	h.Write(dek)
	return h.Sum(nil)
}
