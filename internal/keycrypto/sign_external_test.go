package keycrypto

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	k1ecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"

	"github.com/kmsd/kmsd/internal/domain"
)

// externalSign signs msg (RAW semantics) with the stdlib, gmsm or decred.
func externalSign(t *testing.T, c signCase, msg []byte) [][]byte {
	t.Helper()
	m := material(t, c.spec)
	s := signSchemes[c.alg]
	var sigs [][]byte
	add := func(sig []byte, err error) {
		if err != nil {
			t.Fatal(err)
		}
		sigs = append(sigs, sig)
	}
	switch c.spec.Class() {
	case domain.ClassRSA:
		k, _ := x509.ParsePKCS8PrivateKey(m)
		d := digestFor(t, c, msg)
		if s.family == famPSS {
			add(rsa.SignPSS(rand.Reader, k.(*rsa.PrivateKey), s.hash, d, nil)) // maximum salt
			add(rsa.SignPSS(rand.Reader, k.(*rsa.PrivateKey), s.hash, d, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}))
		} else {
			add(rsa.SignPKCS1v15(nil, k.(*rsa.PrivateKey), s.hash, d))
		}
	case domain.ClassSM2:
		k, _ := smx509.ParsePKCS8PrivateKey(m)
		add(k.(*sm2.PrivateKey).Sign(rand.Reader, msg, sm2.NewSM2SignerOption(true, nil)))
	default:
		if c.spec == domain.SpecSECP256K1 {
			add(k1ecdsa.Sign(secp256k1.PrivKeyFromBytes(m), digestFor(t, c, msg)).Serialize(), nil)
		} else {
			add(ecdsa.SignASN1(rand.Reader, stdECKey(t, m), digestFor(t, c, msg)))
		}
	}
	return sigs
}

func TestVerifyExternalSignatures(t *testing.T) {
	for _, c := range validSignCases() {
		t.Run(c.alg+"/"+string(c.spec), func(t *testing.T) {
			for i, sig := range externalSign(t, c, testMessage) {
				ok, err := Verify(c.spec, publicDER(t, c.spec), c.alg, testMessage, sig, true)
				if !ok || err != nil {
					t.Fatalf("signature %d: Verify = %v, %v", i, ok, err)
				}
			}
		})
	}
}
