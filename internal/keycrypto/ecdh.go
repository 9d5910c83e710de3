package keycrypto

import (
	"fmt"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/emmansun/gmsm/sm2"

	"github.com/kmsd/kmsd/internal/domain"
)

// DeriveSharedSecret performs plain ECDH between the key (EC_P256, EC_P384,
// SECP256K1, SM2) and a peer SubjectPublicKeyInfo DER on the same curve, and
// returns the raw shared secret: the big-endian x-coordinate of d*Q (32 or 48
// bytes), no KDF applied. Peer key malformed or on another curve:
// ErrPublicKey; other specs: ErrUnsupported; bad material: ErrPrivateKey.
// SM2 here is plain ECDH on the SM2 curve, not the SM2 key exchange protocol.
func DeriveSharedSecret(spec domain.KeySpec, material, peerSPKI []byte) ([]byte, error) {
	if c := spec.Class(); c != domain.ClassEC && c != domain.ClassSM2 {
		return nil, fmt.Errorf("%w: %q cannot do ECDH", ErrUnsupported, spec)
	}
	if err := ValidateMaterial(spec, material); err != nil {
		return nil, err
	}
	peer, err := parsePublicKey(spec, peerSPKI)
	if err != nil {
		return nil, err
	}
	var secret []byte
	switch spec {
	case domain.SpecSECP256K1:
		k, _ := parseK1(material)
		return secp256k1.GenerateSharedSecret(k, peer.k1), nil
	case domain.SpecSM2:
		k, _ := parseSM2(material)
		priv, perr := k.ECDH()
		if perr != nil {
			return nil, fmt.Errorf("%w: %v", ErrPrivateKey, perr)
		}
		pub, perr := sm2.PublicKeyToECDH(peer.ec)
		if perr != nil {
			return nil, fmt.Errorf("%w: %v", ErrPublicKey, perr)
		}
		secret, err = priv.ECDH(pub)
	default:
		k, _ := parseECDSA(spec, material)
		priv, perr := k.ECDH()
		if perr != nil {
			return nil, fmt.Errorf("%w: %v", ErrPrivateKey, perr)
		}
		pub, perr := peer.ec.ECDH()
		if perr != nil {
			return nil, fmt.Errorf("%w: %v", ErrPublicKey, perr)
		}
		secret, err = priv.ECDH(pub)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPublicKey, err)
	}
	return secret, nil
}
