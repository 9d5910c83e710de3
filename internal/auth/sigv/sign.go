package sigv

import (
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm2"
)

// Sign adds X-Sdk-Date and an SDK-HMAC-SHA256 Authorization header to r
// exactly like the Go SDK's signer does. See SignWith.
func Sign(r *http.Request, body []byte, ak, sk string, now time.Time) error {
	return SignWith(r, body, AlgHMACSHA256, ak, sk, now)
}

// SignWith signs r with one of the four non-derived algorithms
// (AlgHMACSHA256, AlgHMACSM3, AlgECDSAP256SHA256, AlgSM2SM3), mirroring the
// Go SDK:
//
//   - an existing Authorization header is removed first;
//   - if r has a Content-Type containing neither "application/json" nor
//     "application/bson", X-Sdk-Content-Sha256 (SM3 algorithms:
//     X-Sdk-Content-Sm3) is set to UNSIGNED-PAYLOAD;
//   - an X-Sdk-Date already on r is kept if valid, otherwise now (UTC) is used;
//   - the signed headers are all header names on r except those starting
//     with "content-type" and those containing "_", lower-cased, sorted.
//
// body must be the bytes that will be sent. r.Host (or r.URL.Host) is only
// used if a "Host" entry is present in r.Header.
func SignWith(r *http.Request, body []byte, algorithm, ak, sk string, now time.Time) error {
	alg, ok := lookupAlgorithm(algorithm)
	if !ok || alg.kind == kindV11 {
		return errors.New("sigv: SignWith does not support algorithm " + algorithm)
	}
	return sign(r, body, alg, ak, sk, "", now)
}

// SignDerived signs r with V11-HMAC-SHA256 for the given region and service,
// like the SDK's DerivedSigner. The scope date is the date of X-Sdk-Date.
func SignDerived(r *http.Request, body []byte, ak, sk, region, service string, now time.Time) error {
	if !isField(region) || !isField(service) {
		return errors.New("sigv: SignDerived needs a valid region and service")
	}
	return sign(r, body, algorithms[AlgV11HMACSHA256], ak, sk, region+"/"+service, now)
}

// sign implements SignWith and SignDerived; scopeTail is "region/service"
// for V11 and empty otherwise.
func sign(r *http.Request, body []byte, alg *algorithm, ak, sk, scopeTail string, now time.Time) error {
	if r == nil || r.URL == nil {
		return errors.New("sigv: cannot sign a request without URL")
	}
	if !isField(ak) || sk == "" {
		return errors.New("sigv: a valid access key and a secret key are required")
	}
	if r.Header == nil {
		r.Header = make(http.Header)
	}
	date := prepareHeaders(r, alg, now)
	a := Authorization{Algorithm: alg.name, AccessKey: ak, SignedHeaders: signedHeaderNames(r.Header)}
	if alg.kind == kindV11 {
		a.Scope = date[:8] + "/" + scopeTail
	}
	if err := validateSignedHeaders(a.SignedHeaders); err != nil {
		return err
	}
	cr, err := canonicalRequest(r, clientPayloadHash(r, body, alg), a.SignedHeaders)
	if err != nil {
		return err
	}
	sig, err := makeSignature(alg, a, sk, stringToSign(alg, date, a.Scope, cr))
	if err != nil {
		return err
	}
	a.Signature = hex.EncodeToString(sig)
	r.Header.Set(HeaderAuthorization, a.String())
	return nil
}

// prepareHeaders removes Authorization, adds the UNSIGNED-PAYLOAD marker
// where the SDK would, and sets X-Sdk-Date. It returns the date string.
func prepareHeaders(r *http.Request, alg *algorithm, now time.Time) string {
	for k := range r.Header {
		if equalFold(k, HeaderAuthorization) {
			delete(r.Header, k)
		}
	}
	if ct := headerValues(r.Header, "Content-Type"); len(ct) > 0 &&
		!strings.Contains(ct[0], "application/json") && !strings.Contains(ct[0], "application/bson") {
		r.Header.Set(alg.contentHeader, UnsignedPayload)
	}
	date, _, err := requestTime(r)
	if err != nil {
		date = now.UTC().Format(DateFormat)
	}
	for k := range r.Header {
		if equalFold(k, HeaderDate) {
			delete(r.Header, k)
		}
	}
	r.Header.Set(HeaderDate, date)
	return date
}

// signedHeaderNames returns the header names the SDK signs: all names except
// those starting with "content-type" and those containing "_", lower-cased,
// de-duplicated and sorted.
func signedHeaderNames(h http.Header) []string {
	seen := make(map[string]bool, len(h))
	names := make([]string, 0, len(h))
	for k := range h {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "content-type") || strings.Contains(k, "_") || seen[lk] {
			continue
		}
		seen[lk] = true
		names = append(names, lk)
	}
	sort.Strings(names)
	return names
}

// makeSignature computes the raw signature of sts.
func makeSignature(alg *algorithm, a Authorization, sk, sts string) ([]byte, error) {
	switch alg.kind {
	case kindHMAC, kindV11:
		return hmacSignature(alg, a, sk, sts)
	}
	key, err := deriveKey(alg, a.AccessKey, sk)
	if err != nil {
		return nil, err
	}
	if alg.kind == kindECDSA {
		return ecdsa.SignASN1(rand.Reader, key.p256, alg.digest([]byte(sts)))
	}
	return key.sm2.Sign(rand.Reader, []byte(sts), sm2.NewSM2SignerOption(true, nil))
}
