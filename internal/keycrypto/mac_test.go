package keycrypto

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"hash"
	"testing"

	"github.com/emmansun/gmsm/sm3"

	"github.com/kmsd/kmsd/internal/domain"
)

func TestMACEverySpec(t *testing.T) {
	cases := []struct {
		spec domain.KeySpec
		alg  string
		h    func() hash.Hash
	}{
		{domain.SpecHMAC256, AlgHMACSHA256, sha256.New},
		{domain.SpecHMAC384, AlgHMACSHA384, sha512.New384},
		{domain.SpecHMAC512, AlgHMACSHA512, sha512.New},
		{domain.SpecHMACSM3, AlgHMACSM3, sm3.New},
	}
	msg := []byte("testabcdefg")
	for _, tc := range cases {
		t.Run(tc.alg, func(t *testing.T) {
			key := material(t, tc.spec)
			mac, err := MAC(tc.spec, key, tc.alg, msg)
			if err != nil {
				t.Fatal(err)
			}
			ref := hmac.New(tc.h, key)
			ref.Write(msg)
			if !bytes.Equal(mac, ref.Sum(nil)) {
				t.Fatal("MAC differs from crypto/hmac")
			}
			if ok, err := VerifyMAC(tc.spec, key, tc.alg, msg, mac); !ok || err != nil {
				t.Fatalf("VerifyMAC = %v, %v", ok, err)
			}
			bad := bytes.Clone(mac)
			bad[0] ^= 1
			for name, m := range map[string][]byte{"flipped": bad, "truncated": mac[:len(mac)-1], "empty": nil} {
				if ok, err := VerifyMAC(tc.spec, key, tc.alg, msg, m); ok || err != nil {
					t.Fatalf("VerifyMAC(%s) = %v, %v", name, ok, err)
				}
			}
			if ok, _ := VerifyMAC(tc.spec, key, tc.alg, []byte("other"), mac); ok {
				t.Fatal("MAC verified for another message")
			}
		})
	}
}

// TestMACKnownAnswer pins HMAC-SHA-256 with a 32-byte key against a value
// computed with OpenSSL: printf 'what do ya want for nothing?' |
// openssl dgst -sha256 -mac HMAC -macopt hexkey:000102...1f
func TestMACKnownAnswer(t *testing.T) {
	key, _ := hex.DecodeString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
	mac, err := MAC(domain.SpecHMAC256, key, AlgHMACSHA256, []byte("what do ya want for nothing?"))
	if err != nil {
		t.Fatal(err)
	}
	out, oerr := runOpenSSL(t, []byte("what do ya want for nothing?"), "dgst", "-sha256", "-mac", "HMAC", "-macopt", "hexkey:"+hex.EncodeToString(key), "-r")
	if oerr != nil {
		t.Fatal(oerr)
	}
	if want := string(bytes.Fields(out)[0]); hex.EncodeToString(mac) != want {
		t.Fatalf("MAC = %x, openssl = %s", mac, want)
	}
}

func TestMACRejects(t *testing.T) {
	cases := []struct {
		name string
		spec domain.KeySpec
		key  []byte
		alg  string
		want error
	}{
		{"HMAC_256 with SHA_384", domain.SpecHMAC256, make([]byte, 32), AlgHMACSHA384, ErrAlgorithm},
		{"HMAC_SM3 with SHA_256", domain.SpecHMACSM3, make([]byte, 32), AlgHMACSHA256, ErrAlgorithm},
		{"unknown alg", domain.SpecHMAC512, make([]byte, 64), "HMAC_MD5", ErrAlgorithm},
		{"AES key", domain.SpecAES256, make([]byte, 32), AlgHMACSHA256, ErrUnsupported},
		{"RSA key", domain.SpecRSA2048, nil, AlgHMACSHA256, ErrUnsupported},
		{"short material", domain.SpecHMAC384, make([]byte, 32), AlgHMACSHA384, ErrMaterialLength},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := MAC(tc.spec, tc.key, tc.alg, []byte("m"))
			wantErr(t, err, tc.want)
			_, err = VerifyMAC(tc.spec, tc.key, tc.alg, []byte("m"), make([]byte, 32))
			wantErr(t, err, tc.want)
		})
	}
}

func TestDataKeyDigest(t *testing.T) {
	dek := make([]byte, 64)
	// decrypt-datakey example of the API reference: SHA-256 of 64 zero bytes.
	if got := hex.EncodeToString(DataKeyDigest(domain.SpecAES256, dek)); got != "f5a5fd42d16a20302798ef6ed309979b43003d2320d9f0e8ea9831a92759fb4b" {
		t.Fatalf("AES_256 digest = %s", got)
	}
	want := sm3.Sum(dek)
	if !bytes.Equal(DataKeyDigest(domain.SpecSM4, dek), want[:]) {
		t.Fatal("SM4 digest is not SM3")
	}
	// The OTC encrypt-datakey example DEK and its digest.
	ex, _ := hex.DecodeString("7549d9aea901767bf3c0b3e14b10722eaf6f59053bbd82045d04e075e809a0fe6ccab48f8e5efe74e4b18ff0512525e527b10331100f357bf42125d8d5ced94f")
	if got := hex.EncodeToString(DataKeyDigest(domain.SpecAES256, ex)); got != "fbc8ac72b0785ca7fe33eb6776ce3990b11e32b299d9c0a9ee0305fb9540f797" {
		t.Fatalf("example digest = %s", got)
	}
}
