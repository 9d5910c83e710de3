package keycrypto

import (
	"bytes"
	"encoding/hex"
	"testing"

	"github.com/kmsd/kmsd/internal/domain"
)

// fuzzSeeds returns the doc vectors' ciphertexts plus short garbage.
func fuzzSeeds() [][]byte {
	seeds := [][]byte{nil, {envMagic}, {envMagic, envFormatV1, 0xFF, 0xFF}, bytes.Repeat([]byte{0}, envelopeOverhead)}
	for _, v := range envelopeVectors {
		ct, _ := hex.DecodeString(v.ciphertext)
		seeds = append(seeds, ct)
	}
	return seeds
}

func FuzzParseHeader(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, ct []byte) {
		h, err := ParseHeader(ct)
		if err != nil {
			return
		}
		if len(h.KeyID) != keyIDSize || (h.Kind != KindData && h.Kind != KindDataKey) || (h.Alg != AlgAES256GCM && h.Alg != AlgSM4GCM) {
			t.Fatalf("accepted inconsistent header %+v", h)
		}
	})
}

func FuzzOpen(f *testing.F) {
	for _, v := range envelopeVectors {
		ct, _ := hex.DecodeString(v.ciphertext)
		f.Add(ct, []byte(v.aad))
		f.Add(ct, []byte("wrong"))
	}
	for _, s := range fuzzSeeds()[:4] {
		f.Add(s, []byte(nil))
	}
	keys := map[domain.KeySpec][]byte{}
	for _, v := range envelopeVectors {
		keys[v.spec], _ = hex.DecodeString(v.key)
	}
	f.Fuzz(func(t *testing.T, ct, aad []byte) {
		for spec, key := range keys {
			pt, err := Open(spec, key, ct, aad)
			if err != nil {
				if err != ErrCiphertext || pt != nil {
					t.Fatalf("Open error %v, want bare ErrCiphertext", err)
				}
				continue
			}
			if _, err := ParseHeader(ct); err != nil {
				t.Fatalf("Open accepted what ParseHeader rejects: %v", err)
			}
		}
	})
}

// FuzzDecryptAsym feeds arbitrary ciphertexts to the SM2 and RSA decrypters:
// no panic, and failures are the bare ErrCiphertext.
func FuzzDecryptAsym(f *testing.F) {
	sm2Key, err := Generate(domain.SpecSM2)
	if err != nil {
		f.Fatal(err)
	}
	good, _ := EncryptAsym(domain.SpecSM2, sm2Key, AlgSM2Encrypt, []byte("seed"))
	f.Add(good)
	f.Add([]byte{0x04})
	f.Add(append([]byte{0x04}, make([]byte, 97)...))
	f.Add([]byte{0x30, 0x03, 0x02, 0x01, 0x01})
	f.Fuzz(func(t *testing.T, ct []byte) {
		if _, err := DecryptAsym(domain.SpecSM2, sm2Key, AlgSM2Encrypt, ct); err != nil && err != ErrCiphertext {
			t.Fatalf("SM2: %v", err)
		}
	})
}
