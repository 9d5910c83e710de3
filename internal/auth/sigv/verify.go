package sigv

import (
	"crypto/ecdsa"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm2"
)

// Verify checks that a (parsed from r's Authorization header) is a valid
// signature of r with secret key sk. body is the raw request body, already
// read in full. now is the server clock; X-Sdk-Date must be exactly one
// DateFormat value within MaxSkew of it. For V11 the scope date must equal
// the X-Sdk-Date date; the caller decides whether the scope's region and
// service are acceptable.
//
// The canonical request uses only the headers listed in a.SignedHeaders
// ("host" is taken from r.Host). Unsigned headers are never looked at; in
// particular an unsigned X-Sdk-Content-Sha256 / X-Sdk-Content-Sm3 does not
// replace the body hash, a signed one must match the body, and a signed
// UNSIGNED-PAYLOAD is refused for a non-empty body (verifiedPayloadHash), so
// the signature always covers the body as received.
//
// Verify returns nil on success. Any error wraps exactly one of
// ErrMalformed, ErrSkew or ErrSignature, checked in that order. MAC
// comparison is constant time. Verify never panics.
func Verify(r *http.Request, body []byte, a Authorization, sk string, now time.Time) error {
	_, err := Check(r, body, a, sk, now)
	return err
}

// Verified describes a request whose signature verified.
type Verified struct {
	ak, sts string
	// Expires is the first instant at which the request's X-Sdk-Date is
	// outside the skew window, so that the same signed request is refused
	// with ErrSkew.
	Expires time.Time
}

// Digest identifies the signed request: SHA-256 over the access key and
// the string to sign. Two requests with the same digest are the same
// signed content, however their signatures are encoded (ECDSA and SM2
// signatures are malleable, so the signature bytes cannot serve). It is
// computed on demand: most callers never need it.
func (v Verified) Digest() [32]byte {
	h := sha256.New()
	h.Write([]byte(v.ak))
	h.Write([]byte{0})
	h.Write([]byte(v.sts))
	var d [32]byte
	h.Sum(d[:0])
	return d
}

// Check is Verify that also returns what the verification established.
func Check(r *http.Request, body []byte, a Authorization, sk string, now time.Time) (Verified, error) {
	alg, err := validate(a)
	if err != nil {
		return Verified{}, err
	}
	if r == nil || r.URL == nil {
		return Verified{}, malformed("request has no URL")
	}
	date, t, err := requestTime(r)
	if err != nil {
		return Verified{}, err
	}
	if alg.kind == kindV11 && !strings.HasPrefix(a.Scope, date[:8]+"/") {
		return Verified{}, malformed("credential scope date does not match %s", HeaderDate)
	}
	if t.Before(now.Add(-MaxSkew)) || t.After(now.Add(MaxSkew)) {
		return Verified{}, &skewError{date: date, now: now}
	}
	payload, err := verifiedPayloadHash(r, body, alg, a.SignedHeaders)
	if err != nil {
		return Verified{}, err
	}
	cr, err := canonicalRequest(r, payload, a.SignedHeaders)
	if err != nil {
		return Verified{}, err
	}
	var buf [maxSignatureHex / 2]byte
	n, _ := hex.Decode(buf[:], []byte(a.Signature)) // validated above
	sig := buf[:n]
	sts := stringToSign(alg, date, a.Scope, cr)
	if err := checkSignature(alg, a, sk, sts, sig); err != nil {
		return Verified{}, err
	}
	return Verified{ak: a.AccessKey, sts: sts, Expires: t.Add(MaxSkew + time.Nanosecond)}, nil
}

// skewError wraps ErrSkew and reports both clocks.
type skewError struct {
	date string
	now  time.Time
}

func (e *skewError) Error() string {
	return ErrSkew.Error() + ": " + HeaderDate + " " + e.date +
		", server time " + e.now.UTC().Format(DateFormat)
}

func (e *skewError) Unwrap() error { return ErrSkew }

// requestTime returns the single X-Sdk-Date value of r and its time. The
// value must round-trip through DateFormat exactly.
func requestTime(r *http.Request) (string, time.Time, error) {
	vals := headerValues(r.Header, HeaderDate)
	if len(vals) != 1 {
		return "", time.Time{}, malformed("need exactly one %s header, got %d", HeaderDate, len(vals))
	}
	t, err := time.Parse(DateFormat, vals[0])
	var round [len(DateFormat)]byte
	if err != nil || string(t.AppendFormat(round[:0], DateFormat)) != vals[0] {
		return "", time.Time{}, malformed("%s %.32q is not in %s format", HeaderDate, vals[0], DateFormat)
	}
	return vals[0], t, nil
}

// stringToSign returns ALG \n DATE [\n SCOPE] \n hex(H(canonical request)).
func stringToSign(alg *algorithm, date, scope, canonical string) string {
	d := alg.sum([]byte(canonical))
	var crHash [64]byte
	hex.Encode(crHash[:], d[:])
	if alg.kind == kindV11 {
		return alg.name + "\n" + date + "\n" + scope + "\n" + string(crHash[:])
	}
	return alg.name + "\n" + date + "\n" + string(crHash[:])
}

// checkSignature verifies sig over sts with the key material for alg.
func checkSignature(alg *algorithm, a Authorization, sk, sts string, sig []byte) error {
	if sk == "" {
		return mismatch("empty secret key")
	}
	switch alg.kind {
	case kindHMAC, kindV11:
		want, err := hmacSignature(alg, a, sk, sts)
		if err != nil {
			return mismatch("%v", err)
		}
		if !hmac.Equal(want, sig) {
			return mismatch("%s signature does not match", alg.name)
		}
		return nil
	default:
		return checkAsymmetric(alg, a.AccessKey, sk, sts, sig)
	}
}

// hmacSignature computes the raw HMAC signature of sts for the HMAC and
// V11 algorithms.
func hmacSignature(alg *algorithm, a Authorization, sk, sts string) ([]byte, error) {
	key := []byte(sk)
	if alg.kind == kindV11 {
		dk, err := derivationKey(a.AccessKey, sk, a.Scope)
		if err != nil {
			return nil, err
		}
		key = []byte(dk)
	}
	mac := hmac.New(alg.newHash, key)
	mac.Write([]byte(sts))
	return mac.Sum(nil), nil
}

// derivationKey returns the V11 signing key: the lowercase hex string of
// HKDF-SHA256(IKM = SK, salt = AK, info = scope, L = 32).
func derivationKey(ak, sk, scope string) (string, error) {
	dk, err := hkdf.Key(sha256.New, []byte(sk), []byte(ak), scope, 32)
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(dk), nil
}

// checkAsymmetric verifies a DER ECDSA or SM2 signature against the public
// key derived from ak and sk.
func checkAsymmetric(alg *algorithm, ak, sk, sts string, sig []byte) error {
	key, err := deriveKey(alg, ak, sk)
	if err != nil {
		return mismatch("%v", err)
	}
	var ok bool
	if alg.kind == kindECDSA {
		ok = ecdsa.VerifyASN1(key.publicKey(), alg.digest([]byte(sts)), sig)
	} else {
		ok = sm2.VerifyASN1WithSM2(key.publicKey(), nil, []byte(sts), sig)
	}
	if !ok {
		return mismatch("%s signature does not verify", alg.name)
	}
	return nil
}
