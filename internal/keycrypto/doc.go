// Package keycrypto holds all cryptography of the kmsd data plane as pure
// functions: no storage, no HTTP, no global state. Callers pass key material
// in and get bytes or sentinel errors (errors.go) out.
//
// # Key material encoding
//
// What Generate returns, ValidateMaterial accepts, UnwrapImport produces and
// the store keeps:
//
//	AES_256   32 raw bytes          HMAC_256  32 raw bytes
//	SM4       16 raw bytes          HMAC_384  48 raw bytes
//	                                HMAC_512  64 raw bytes
//	                                HMAC_SM3  32 raw bytes
//	RSA_2048/3072/4096   PKCS#8 DER (crypto/x509), modulus size checked
//	EC_P256, EC_P384     PKCS#8 DER (crypto/x509), curve checked
//	SM2                  PKCS#8 DER as gmsm smx509 marshals it
//	                     (id-ecPublicKey + SM2 curve 1.2.156.10197.1.301)
//	SECP256K1            32-byte big-endian private scalar in [1, n-1]
//
// Public keys are X.509 SubjectPublicKeyInfo DER (PublicKeyDER); SECP256K1 uses
// id-ecPublicKey + secp256k1 (1.3.132.0.10) with an uncompressed point.
// PublicKeyPEM makes a "PUBLIC KEY" PEM with CRLF line ends.
//
// # Symmetric envelopes
//
// Seal/Open/ParseHeader implement the encrypt-data and data-key ciphertext
// format described in docs/ciphertext.md: AES-256-GCM or SM4-GCM, random
// 96-bit nonce, key id and key version inside, whole header plus the caller's
// AAD authenticated, sized like the real service's ciphertexts.
//
// # Decisions where the API reference is silent (its "inferred" items)
//
//   - ECDSA and SM2 signatures are ASN.1 DER SEQUENCE{r, s}; RSA signatures
//     are k-byte big-endian.
//   - Curve/hash pairing is strict: EC_P256 only ECDSA_SHA_256, EC_P384 only
//     ECDSA_SHA_384, SECP256K1 only ECDSA_SHA_256; everything else is
//     ErrAlgorithm (KMS.0332). ECDSA_SHA_512 is therefore valid for no CMK.
//   - RSA-PSS signs with MGF1(same hash) and salt length = hash length;
//     verification accepts any salt length.
//   - SM2DSA_SM3: RAW messages are signed as GB/T 32918.2 prescribes with the
//     default user id "1234567812345678" (e = SM3(Z_A || M) computed here);
//     in DIGEST mode the message is e = SM3(Z_A || M) already computed by the
//     caller with that user id (not SM3(M)), and is signed as is.
//   - SECP256K1 signatures are RFC 6979 deterministic and low-S (decred);
//     verification accepts high-S too.
//   - RSA encryption: OAEP with MGF1 using the same hash as the OAEP hash and
//     an empty label; ciphertext is the raw k-byte block. SM2_ENCRYPT emits the
//     ASN.1 DER form (GM/T 0009: SEQUENCE{x, y, C3, C2}) and decrypts either
//     that or the raw C1||C3||C2 form.
//   - derive-shared-secret returns the raw x-coordinate of the ECDH point, no
//     KDF; SM2 is plain ECDH on the SM2 curve (not the SM2 key exchange).
//   - Import: RSA-2048 wrapping key, RSAES_OAEP_SHA_256 (and _SHA_1);
//     SM2_ENCRYPT wrapping is not offered (ErrAlgorithm). Asymmetric private
//     keys come as PKCS#8 wrapped with RFC 5649 KWP (tink-go kwp/subtle) under
//     a 16- or 32-byte temporary key. AES_256, SM4 and every asymmetric spec
//     (SECP256K1 and SM2 included) can be imported; HMAC cannot.
//   - Data-key digests (DataKeyDigest) are SHA-256 for AES_256 CMKs and SM3
//     for SM4 CMKs.
//   - Data key pairs: PKCS#8 private keys and SPKI public keys in DER (the
//     service base64-encodes them).
package keycrypto
