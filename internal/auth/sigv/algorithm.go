package sigv

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"

	"github.com/emmansun/gmsm/sm3"
)

// kind is the signature scheme family of an algorithm.
type kind int

const (
	kindHMAC  kind = iota // HMAC keyed with the SK
	kindECDSA             // ECDSA P-256 with a derived key
	kindSM2               // SM2 with a derived key
	kindV11               // HMAC-SHA256 keyed with an HKDF-derived key
)

// algorithm describes one Authorization algorithm.
type algorithm struct {
	name          string
	kind          kind
	newHash       func() hash.Hash // canonical request, body and HMAC hash
	sm3           bool             // newHash is SM3, else SHA-256
	contentHeader string           // header overriding the body hash
}

var algorithms = map[string]*algorithm{
	AlgHMACSHA256:      {AlgHMACSHA256, kindHMAC, sha256.New, false, HeaderContentSha256},
	AlgHMACSM3:         {AlgHMACSM3, kindHMAC, sm3.New, true, HeaderContentSm3},
	AlgECDSAP256SHA256: {AlgECDSAP256SHA256, kindECDSA, sha256.New, false, HeaderContentSha256},
	AlgSM2SM3:          {AlgSM2SM3, kindSM2, sm3.New, true, HeaderContentSm3},
	AlgV11HMACSHA256:   {AlgV11HMACSHA256, kindV11, sha256.New, false, HeaderContentSha256},
}

// lookupAlgorithm returns the algorithm called name (exact, case-sensitive).
func lookupAlgorithm(name string) (*algorithm, bool) {
	alg, ok := algorithms[name]
	return alg, ok
}

// digest returns H(data) for the algorithm's hash.
func (alg *algorithm) digest(data []byte) []byte {
	d := alg.sum(data)
	return d[:]
}

// sum is digest into an array (both hashes are 32 bytes). It calls the
// hash directly rather than through newHash so that data does not escape.
func (alg *algorithm) sum(data []byte) [32]byte {
	if alg.sm3 {
		return sm3.Sum(data)
	}
	return sha256.Sum256(data)
}

// hexDigest returns the lowercase hex of H(data).
func (alg *algorithm) hexDigest(data []byte) string {
	d := alg.sum(data)
	var x [64]byte
	hex.Encode(x[:], d[:])
	return string(x[:])
}
