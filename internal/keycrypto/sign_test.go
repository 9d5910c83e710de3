package keycrypto

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"maps"
	"slices"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	k1ecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/smx509"

	"github.com/kmsd/kmsd/internal/domain"
)

var testMessage = []byte("kmsd signs this message")

// signCase is one valid (spec, algorithm) pair.
type signCase struct {
	spec domain.KeySpec
	alg  string
}

// validSignCases lists every valid (spec, signing algorithm) pair.
func validSignCases() []signCase {
	var out []signCase
	for _, spec := range specsOf(domain.ClassRSA, domain.ClassEC, domain.ClassSM2) {
		for _, alg := range slices.Sorted(maps.Keys(signSchemes)) {
			if _, err := schemeFor(spec, alg); err == nil {
				out = append(out, signCase{spec, alg})
			}
		}
	}
	return out
}

// digestFor computes the DIGEST-mode input independently of Sign: the hash of
// message, or for SM2 e = SM3(Z_A || M) with the default user id.
func digestFor(t *testing.T, c signCase, msg []byte) []byte {
	t.Helper()
	if c.alg == AlgSM2DSASM3 {
		pub, _ := smx509.ParsePKIXPublicKey(publicDER(t, c.spec))
		za, err := sm2.CalculateZA(pub.(*ecdsa.PublicKey), []byte("1234567812345678"))
		if err != nil {
			t.Fatal(err)
		}
		h := sm3.New()
		h.Write(za)
		h.Write(msg)
		return h.Sum(nil)
	}
	h := signSchemes[c.alg].hash.New()
	h.Write(msg)
	return h.Sum(nil)
}

// independentVerify checks sig over msg with the standard library, gmsm or
// decred directly, using kmsd only for the public key bytes.
func independentVerify(t *testing.T, c signCase, msg, sig []byte) bool {
	t.Helper()
	der := publicDER(t, c.spec)
	s := signSchemes[c.alg]
	switch c.spec.Class() {
	case domain.ClassRSA:
		pub, err := x509.ParsePKIXPublicKey(der)
		if err != nil {
			t.Fatal(err)
		}
		d := digestFor(t, c, msg)
		if s.family == famPSS { // salt length must be exactly the hash length
			return rsa.VerifyPSS(pub.(*rsa.PublicKey), s.hash, d, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}) == nil
		}
		return rsa.VerifyPKCS1v15(pub.(*rsa.PublicKey), s.hash, d, sig) == nil
	case domain.ClassSM2:
		pub, err := smx509.ParsePKIXPublicKey(der)
		if err != nil {
			t.Fatal(err)
		}
		return sm2.VerifyASN1WithSM2(pub.(*ecdsa.PublicKey), nil, msg, sig)
	}
	if c.spec == domain.SpecSECP256K1 {
		pub := secp256k1.PrivKeyFromBytes(material(t, c.spec)).PubKey()
		parsed, err := k1ecdsa.ParseDERSignature(sig)
		return err == nil && parsed.Verify(digestFor(t, c, msg), pub)
	}
	pub, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		t.Fatal(err)
	}
	return ecdsa.VerifyASN1(pub.(*ecdsa.PublicKey), digestFor(t, c, msg), sig)
}

func TestSignVerifyEveryAlgorithm(t *testing.T) {
	for _, c := range validSignCases() {
		for _, raw := range []bool{true, false} {
			name := c.alg + "/" + string(c.spec)
			if raw {
				name += "/RAW"
			}
			t.Run(name, func(t *testing.T) {
				in := testMessage
				if !raw {
					in = digestFor(t, c, testMessage)
				}
				sig, err := Sign(c.spec, material(t, c.spec), c.alg, in, raw)
				if err != nil {
					t.Fatalf("Sign: %v", err)
				}
				if !independentVerify(t, c, testMessage, sig) {
					t.Fatal("independent verifier rejects the kmsd signature")
				}
				der := publicDER(t, c.spec)
				for _, r := range []bool{true, false} { // RAW and DIGEST signatures are interchangeable
					m := testMessage
					if !r {
						m = digestFor(t, c, testMessage)
					}
					if ok, err := Verify(c.spec, der, c.alg, m, sig, r); !ok || err != nil {
						t.Fatalf("Verify(raw=%v) = %v, %v", r, ok, err)
					}
				}
				if ok, err := Verify(c.spec, der, c.alg, []byte("other message"), sig, true); ok || err != nil {
					t.Fatalf("Verify(other message) = %v, %v", ok, err)
				}
				bad := append([]byte(nil), sig...)
				bad[len(bad)/2] ^= 1
				if ok, err := Verify(c.spec, der, c.alg, testMessage, bad, true); ok || err != nil {
					t.Fatalf("Verify(corrupt) = %v, %v", ok, err)
				}
				for _, junk := range [][]byte{nil, {0x30}, []byte("not a signature")} {
					if ok, err := Verify(c.spec, der, c.alg, testMessage, junk, true); ok || err != nil {
						t.Fatalf("Verify(junk %q) = %v, %v", junk, ok, err)
					}
				}
			})
		}
	}
}

func TestSignAlgorithmMatrix(t *testing.T) {
	want := map[domain.KeySpec]map[string]bool{
		domain.SpecECP256:    {AlgECDSASHA256: true},
		domain.SpecECP384:    {AlgECDSASHA384: true},
		domain.SpecSECP256K1: {AlgECDSASHA256: true},
		domain.SpecSM2:       {AlgSM2DSASM3: true},
	}
	for _, spec := range specsOf(domain.ClassRSA) {
		want[spec] = map[string]bool{}
		for alg, s := range signSchemes {
			want[spec][alg] = s.family == famPSS || s.family == famPKCS1
		}
	}
	for _, spec := range domain.AllSpecs {
		for alg := range signSchemes {
			_, err := Sign(spec, material(t, spec), alg, make([]byte, signSchemes[alg].digestSize()), false)
			switch {
			case !spec.Asymmetric():
				wantErr(t, err, ErrUnsupported)
			case want[spec][alg]:
				wantErr(t, err, nil)
			default:
				wantErr(t, err, ErrAlgorithm)
			}
		}
		_, err := Sign(spec, material(t, spec), "ECDSA_SHA_1", []byte("x"), true)
		if err == nil {
			t.Fatalf("%s: unknown algorithm accepted", spec)
		}
	}
}

func TestSignVerifyRejects(t *testing.T) {
	p256, p384 := domain.SpecECP256, domain.SpecECP384
	cases := []struct {
		name string
		run  func() error
		want error
	}{
		{"digest too short", func() error {
			_, err := Sign(p256, material(t, p256), AlgECDSASHA256, make([]byte, 31), false)
			return err
		}, ErrDigestLength},
		{"digest of SHA-512 for SHA-256", func() error {
			_, err := Sign(domain.SpecRSA2048, material(t, domain.SpecRSA2048), AlgRSASSAPSSSHA256, make([]byte, 64), false)
			return err
		}, ErrDigestLength},
		{"verify digest length", func() error {
			_, err := Verify(p256, publicDER(t, p256), AlgECDSASHA256, make([]byte, 20), nil, false)
			return err
		}, ErrDigestLength},
		{"verify with other curve's key", func() error {
			_, err := Verify(p384, publicDER(t, p256), AlgECDSASHA384, make([]byte, 48), nil, false)
			return err
		}, ErrPublicKey},
		{"verify SM2 key as EC_P256", func() error {
			_, err := Verify(p256, publicDER(t, domain.SpecSM2), AlgECDSASHA256, make([]byte, 32), nil, false)
			return err
		}, ErrPublicKey},
		{"verify RSA_2048 key as RSA_3072", func() error {
			_, err := Verify(domain.SpecRSA3072, publicDER(t, domain.SpecRSA2048), AlgRSASSAPSSSHA256, make([]byte, 32), nil, false)
			return err
		}, ErrPublicKey},
		{"verify garbage key", func() error {
			_, err := Verify(domain.SpecSECP256K1, []byte{1, 2, 3}, AlgECDSASHA256, make([]byte, 32), nil, false)
			return err
		}, ErrPublicKey},
		{"sign with bad material", func() error {
			_, err := Sign(p256, material(t, p384), AlgECDSASHA256, make([]byte, 32), false)
			return err
		}, ErrPrivateKey},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, tc.run(), tc.want) })
	}
}

// TestSM2DigestIsZAHash pins the SM2 DIGEST contract: the digest is
// SM3(Z_A || M), not SM3(M).
func TestSM2DigestIsZAHash(t *testing.T) {
	c := signCase{domain.SpecSM2, AlgSM2DSASM3}
	plain := sm3.Sum(testMessage)
	sig, err := Sign(c.spec, material(t, c.spec), c.alg, plain[:], false)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := Verify(c.spec, publicDER(t, c.spec), c.alg, testMessage, sig, true); ok {
		t.Fatal("a signature over SM3(M) verified as a RAW signature of M")
	}
}
