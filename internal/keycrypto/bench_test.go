package keycrypto

import (
	"testing"

	"github.com/kmsd/kmsd/internal/domain"
)

var benchSizes = []struct {
	name string
	n    int
}{{"512B", 512}, {"4KiB", 4096}}

func BenchmarkSealAES(b *testing.B) {
	key := material(b, domain.SpecAES256)
	for _, s := range benchSizes {
		b.Run(s.name, func(b *testing.B) {
			pt := make([]byte, s.n)
			b.SetBytes(int64(s.n))
			for b.Loop() {
				if _, err := Seal(KindData, domain.SpecAES256, testKeyID, 1, key, pt, []byte("aad")); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkOpenAES(b *testing.B) {
	key := material(b, domain.SpecAES256)
	for _, s := range benchSizes {
		b.Run(s.name, func(b *testing.B) {
			ct, err := Seal(KindData, domain.SpecAES256, testKeyID, 1, key, make([]byte, s.n), []byte("aad"))
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(s.n))
			for b.Loop() {
				if _, err := Open(domain.SpecAES256, key, ct, []byte("aad")); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSealSM4(b *testing.B) {
	key := material(b, domain.SpecSM4)
	pt := make([]byte, 4096)
	b.SetBytes(4096)
	for b.Loop() {
		if _, err := Seal(KindData, domain.SpecSM4, testKeyID, 1, key, pt, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSign(b *testing.B) {
	cases := []struct {
		spec domain.KeySpec
		alg  string
	}{
		{domain.SpecECP256, AlgECDSASHA256},
		{domain.SpecRSA2048, AlgRSASSAPSSSHA256},
		{domain.SpecRSA2048, AlgRSASSAPKCS1v15SHA256},
	}
	for _, c := range cases {
		b.Run(string(c.spec)+"/"+c.alg, func(b *testing.B) {
			m := material(b, c.spec)
			digest := make([]byte, 32)
			for b.Loop() {
				if _, err := Sign(c.spec, m, c.alg, digest, false); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
