package sigv

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"math/big"
	"sync"

	"github.com/emmansun/gmsm/sm2"
)

// maxCachedKeys bounds the derived key cache; when full it is emptied.
const maxCachedKeys = 1024

// derivedKey is the key pair derived from an AK/SK for one asymmetric
// algorithm. Exactly one field is set.
type derivedKey struct {
	p256 *ecdsa.PrivateKey // SDK-ECDSA-P256-SHA256
	sm2  *sm2.PrivateKey   // SDK-SM2-SM3
}

// keyCache memoises derived keys by SHA-256(algorithm, AK, SK).
var keyCache = struct {
	sync.Mutex
	m map[[32]byte]*derivedKey
}{m: make(map[[32]byte]*derivedKey)}

// deriveKey returns the (cached) key pair for alg, which must be kindECDSA
// or kindSM2.
func deriveKey(alg *algorithm, ak, sk string) (*derivedKey, error) {
	id := cacheID(alg.name, ak, sk)
	keyCache.Lock()
	k := keyCache.m[id]
	keyCache.Unlock()
	if k != nil {
		return k, nil
	}
	k, err := newDerivedKey(alg, ak, sk)
	if err != nil {
		return nil, err
	}
	keyCache.Lock()
	if len(keyCache.m) >= maxCachedKeys {
		clear(keyCache.m)
	}
	keyCache.m[id] = k
	keyCache.Unlock()
	return k, nil
}

// cacheID hashes the inputs with length prefixes so distinct triples never
// collide by concatenation.
func cacheID(name, ak, sk string) [32]byte {
	h := sha256.New()
	for _, s := range []string{name, ak, sk} {
		n := uint64(len(s))
		h.Write([]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
		h.Write([]byte(s))
	}
	var id [32]byte
	h.Sum(id[:0])
	return id
}

// newDerivedKey derives the key pair for alg from ak and sk.
func newDerivedKey(alg *algorithm, ak, sk string) (*derivedKey, error) {
	switch alg.kind {
	case kindECDSA:
		d, err := derivePrivateScalar(alg, ak, sk, elliptic.P256().Params().N)
		if err != nil {
			return nil, err
		}
		priv, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), d.FillBytes(make([]byte, 32)))
		if err != nil {
			return nil, err
		}
		return &derivedKey{p256: priv}, nil
	case kindSM2:
		curve := sm2.P256()
		d, err := derivePrivateScalar(alg, ak, sk, curve.Params().N)
		if err != nil {
			return nil, err
		}
		// gmsm v0.15.5, the newest release, has no constructor of an SM2
		// key from a scalar: its PrivateKey embeds ecdsa.PrivateKey, whose
		// big.Int fields are the only way in.
		//lint:ignore SA1019 no non-deprecated way to build a gmsm SM2 key from a scalar
		x, y := curve.ScalarBaseMult(d.FillBytes(make([]byte, 32)))
		//lint:ignore SA1019 see above
		pub := ecdsa.PublicKey{Curve: curve, X: x, Y: y}
		//lint:ignore SA1019 see above
		return &derivedKey{sm2: &sm2.PrivateKey{PrivateKey: ecdsa.PrivateKey{PublicKey: pub, D: d}}}, nil
	}
	return nil, errors.New("sigv: algorithm has no derived key")
}

// derivePrivateScalar implements the SDK's derivePrivateInt: for counter
// 0..255 compute c = HMAC-H(SK, 00000001 || ALG || 00 || AK || counter ||
// 00000100) and return c+1 for the first c <= n-2.
func derivePrivateScalar(alg *algorithm, ak, sk string, n *big.Int) (*big.Int, error) {
	nMinusTwo := new(big.Int).Sub(n, big.NewInt(2))
	data := make([]byte, 0, 4+len(alg.name)+1+len(ak)+1+4)
	for counter := 0; counter <= 0xff; counter++ {
		data = append(data[:0], 0, 0, 0, 1)
		data = append(data, alg.name...)
		data = append(data, 0)
		data = append(data, ak...)
		data = append(data, byte(counter), 0, 0, 1, 0)
		mac := hmac.New(alg.newHash, []byte(sk))
		mac.Write(data)
		c := new(big.Int).SetBytes(mac.Sum(nil))
		if c.Cmp(nMinusTwo) <= 0 {
			return c.Add(c, big.NewInt(1)), nil
		}
	}
	return nil, errors.New("sigv: key derivation found no candidate")
}

// publicKey returns the public half of k.
func (k *derivedKey) publicKey() *ecdsa.PublicKey {
	if k.p256 != nil {
		return &k.p256.PublicKey
	}
	return &k.sm2.PublicKey
}
