package keycrypto

import "errors"

// Sentinel errors. Every error returned by this package either is one of
// these or wraps one of them (test with errors.Is), except errors from the
// operating system's random source, which are returned wrapped but as is.
//
// The rule between ErrUnsupported and ErrAlgorithm: ErrUnsupported means the
// operation cannot be done with a key of this spec at all (e.g. Sign with an
// AES key, MAC with an RSA key, an unknown spec); ErrAlgorithm means the
// operation is possible for the spec but the named algorithm is not valid for
// it (e.g. ECDSA_SHA_384 with an EC_P256 key, HMAC_SHA_512 with HMAC_256).
var (
	// ErrCiphertext: a ciphertext is malformed, tampered with, truncated, of
	// an unknown format version, was made with another key or other AAD, or
	// does not decrypt. Open and DecryptAsym return it bare (one opaque error
	// for every cause); ParseHeader wraps it with a short reason.
	ErrCiphertext = errors.New("keycrypto: invalid ciphertext")
	// ErrAlgorithm: the algorithm name is unknown or not valid for the spec.
	ErrAlgorithm = errors.New("keycrypto: algorithm not valid for this key spec")
	// ErrDigestLength: a DIGEST-mode message's length differs from the
	// algorithm's hash size.
	ErrDigestLength = errors.New("keycrypto: digest length does not match the hash algorithm")
	// ErrPlaintextTooLong: the plaintext exceeds what the algorithm can encrypt.
	ErrPlaintextTooLong = errors.New("keycrypto: plaintext too long")
	// ErrPlaintextEmpty: the algorithm cannot encrypt an empty plaintext (SM2).
	ErrPlaintextEmpty = errors.New("keycrypto: plaintext is empty")
	// ErrPublicKey: a public key is malformed or of the wrong type, size or curve.
	ErrPublicKey = errors.New("keycrypto: invalid public key")
	// ErrMaterialLength: symmetric or HMAC key material has the wrong length.
	ErrMaterialLength = errors.New("keycrypto: key material has the wrong length")
	// ErrTempKeyLength: the temporary import key is not 16 or 32 bytes.
	ErrTempKeyLength = errors.New("keycrypto: temporary import key must be 16 or 32 bytes")
	// ErrPrivateKey: private key material is missing, malformed, or of the
	// wrong type, size or curve for the spec.
	ErrPrivateKey = errors.New("keycrypto: invalid private key")
	// ErrKeyID: a key id to embed in an envelope is not 36 printable ASCII
	// characters.
	ErrKeyID = errors.New("keycrypto: key id must be 36 printable ASCII characters")
	// ErrUnsupported: the key spec (or data key pair spec) is unknown, or the
	// operation is impossible with keys of this spec.
	ErrUnsupported = errors.New("keycrypto: operation not supported for this key spec")
)
