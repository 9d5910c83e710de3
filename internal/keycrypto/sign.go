package keycrypto

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	_ "crypto/sha256" // registers SHA-256
	_ "crypto/sha512" // registers SHA-384 and SHA-512
	"fmt"

	k1ecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"

	"github.com/kmsd/kmsd/internal/domain"
)

type signFamily int

const (
	famPSS signFamily = iota + 1
	famPKCS1
	famECDSA
	famSM2
)

// signScheme is a signing_algorithm: a family and its hash (0 = SM3).
type signScheme struct {
	family signFamily
	hash   crypto.Hash
}

var signSchemes = map[string]signScheme{
	AlgRSASSAPSSSHA256:      {famPSS, crypto.SHA256},
	AlgRSASSAPSSSHA384:      {famPSS, crypto.SHA384},
	AlgRSASSAPSSSHA512:      {famPSS, crypto.SHA512},
	AlgRSASSAPKCS1v15SHA256: {famPKCS1, crypto.SHA256},
	AlgRSASSAPKCS1v15SHA384: {famPKCS1, crypto.SHA384},
	AlgRSASSAPKCS1v15SHA512: {famPKCS1, crypto.SHA512},
	AlgECDSASHA256:          {famECDSA, crypto.SHA256},
	AlgECDSASHA384:          {famECDSA, crypto.SHA384},
	AlgECDSASHA512:          {famECDSA, crypto.SHA512},
	AlgSM2DSASM3:            {famSM2, 0},
}

// ecdsaHash is the only ECDSA hash each EC spec accepts (strict pairing).
var ecdsaHash = map[domain.KeySpec]crypto.Hash{
	domain.SpecECP256: crypto.SHA256, domain.SpecECP384: crypto.SHA384, domain.SpecSECP256K1: crypto.SHA256,
}

// digestSize is the hash output size of the scheme.
func (s signScheme) digestSize() int {
	if s.family == famSM2 {
		return sm3.Size
	}
	return s.hash.Size()
}

// schemeFor resolves alg for spec: ErrUnsupported if the spec cannot sign,
// ErrAlgorithm if alg is unknown or not valid for the spec.
func schemeFor(spec domain.KeySpec, alg string) (signScheme, error) {
	c := spec.Class()
	if c != domain.ClassRSA && c != domain.ClassEC && c != domain.ClassSM2 {
		return signScheme{}, fmt.Errorf("%w: %q cannot sign", ErrUnsupported, spec)
	}
	s, ok := signSchemes[alg]
	valid := ok && (c == domain.ClassRSA && (s.family == famPSS || s.family == famPKCS1) ||
		c == domain.ClassEC && s.family == famECDSA && ecdsaHash[spec] == s.hash ||
		c == domain.ClassSM2 && s.family == famSM2)
	if !valid {
		return signScheme{}, fmt.Errorf("%w: %q with %s", ErrAlgorithm, alg, spec)
	}
	return s, nil
}

// signInput returns the digest to sign/verify. raw: hash message (SM2 raw
// messages are returned as is: gmsm hashes Z_A||M itself). Digest mode:
// message is the digest and must have the hash size, else ErrDigestLength.
func (s signScheme) signInput(message []byte, raw bool) ([]byte, error) {
	switch {
	case !raw && len(message) != s.digestSize():
		return nil, fmt.Errorf("%w: got %d bytes, want %d", ErrDigestLength, len(message), s.digestSize())
	case !raw || s.family == famSM2:
		return message, nil
	}
	h := s.hash.New()
	h.Write(message)
	return h.Sum(nil), nil
}

// Sign signs with an asymmetric key. raw=true: message is the whole message
// and is hashed here; raw=false: message is the digest (length must equal the
// hash size, else ErrDigestLength).
//
// RSA: RSASSA_PSS_SHA_* (MGF1 with the same hash, salt length = hash length)
// or RSASSA_PKCS1_V1_5_SHA_*; signature is k bytes big-endian.
// EC (strict pairing): EC_P256 ECDSA_SHA_256, EC_P384 ECDSA_SHA_384,
// SECP256K1 ECDSA_SHA_256 (RFC 6979 deterministic, low-S); ASN.1 DER.
// SM2: SM2DSA_SM3, ASN.1 DER; raw: e = SM3(Z_A||M) with the default user id
// "1234567812345678" computed here; digest: message is e = SM3(Z_A||M)
// already computed by the caller.
func Sign(spec domain.KeySpec, material []byte, alg string, message []byte, raw bool) ([]byte, error) {
	s, err := schemeFor(spec, alg)
	if err != nil {
		return nil, err
	}
	in, err := s.signInput(message, raw)
	if err != nil {
		return nil, err
	}
	var sig []byte
	switch s.family {
	case famPSS, famPKCS1:
		k, perr := parseRSA(spec, material)
		if perr != nil {
			return nil, perr
		}
		if s.family == famPSS {
			sig, err = rsa.SignPSS(rand.Reader, k, s.hash, in, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
		} else {
			sig, err = rsa.SignPKCS1v15(nil, k, s.hash, in)
		}
	case famECDSA:
		if spec == domain.SpecSECP256K1 {
			k, perr := parseK1(material)
			if perr != nil {
				return nil, perr
			}
			return k1ecdsa.Sign(k, in).Serialize(), nil
		}
		k, perr := parseECDSA(spec, material)
		if perr != nil {
			return nil, perr
		}
		sig, err = ecdsa.SignASN1(rand.Reader, k, in)
	case famSM2:
		k, perr := parseSM2(material)
		if perr != nil {
			return nil, perr
		}
		var opts crypto.SignerOpts // nil: in is e
		if raw {
			opts = sm2.NewSM2SignerOption(true, nil) // default uid
		}
		sig, err = sm2.SignASN1(rand.Reader, k, in, opts)
	}
	if err != nil {
		return nil, fmt.Errorf("keycrypto: sign %s: %w", alg, err)
	}
	return sig, nil
}

// Verify checks a signature made as described at Sign against an SPKI DER
// public key of spec. A malformed or wrong signature is (false, nil); a bad
// algorithm (ErrAlgorithm/ErrUnsupported), digest length (ErrDigestLength)
// or public key (ErrPublicKey) is an error. RSA-PSS verification accepts any
// salt length (kmsd signs with salt = hash length; signers that use the
// maximum, like Go's and OpenSSL's defaults, verify too).
func Verify(spec domain.KeySpec, publicDER []byte, alg string, message, signature []byte, raw bool) (bool, error) {
	s, err := schemeFor(spec, alg)
	if err != nil {
		return false, err
	}
	in, err := s.signInput(message, raw)
	if err != nil {
		return false, err
	}
	pub, err := parsePublicKey(spec, publicDER)
	if err != nil {
		return false, err
	}
	switch s.family {
	case famPSS:
		return rsa.VerifyPSS(pub.rsa, s.hash, in, signature, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto}) == nil, nil
	case famPKCS1:
		return rsa.VerifyPKCS1v15(pub.rsa, s.hash, in, signature) == nil, nil
	case famECDSA:
		if pub.k1 != nil {
			sig, err := k1ecdsa.ParseDERSignature(signature)
			return err == nil && sig.Verify(in, pub.k1), nil
		}
		return ecdsa.VerifyASN1(pub.ec, in, signature), nil
	case famSM2:
		if raw {
			return sm2.VerifyASN1WithSM2(pub.ec, nil, in, signature), nil
		}
		return sm2.VerifyASN1(pub.ec, in, signature), nil
	}
	return false, fmt.Errorf("%w: %q", ErrAlgorithm, alg)
}
