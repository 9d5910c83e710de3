package keycrypto

import (
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"

	"github.com/kmsd/kmsd/internal/domain"
)

// opensslDigest is the OpenSSL digest name of a signing algorithm's hash.
func opensslDigest(alg string) string {
	switch {
	case strings.HasSuffix(alg, "_384"):
		return "sha384"
	case strings.HasSuffix(alg, "_512"):
		return "sha512"
	case alg == AlgSM2DSASM3:
		return "sm3"
	}
	return "sha256"
}

// opensslSigOpts returns the -sigopt/-pkeyopt values of an algorithm.
func opensslSigOpts(alg, saltlen string) []string {
	if signSchemes[alg].family == famPSS {
		return []string{"rsa_padding_mode:pss", "rsa_pss_saltlen:" + saltlen}
	}
	if alg == AlgSM2DSASM3 {
		return []string{"distid:1234567812345678"}
	}
	return nil
}

// writePEM writes a PEM file of the given type into dir and returns its path.
func writePEM(t *testing.T, dir, name, typ string, der []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func writeFile(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// privatePKCS8 returns the test key of spec as PKCS#8 DER.
func privatePKCS8(t *testing.T, spec domain.KeySpec) []byte {
	m := material(t, spec)
	if spec != domain.SpecSECP256K1 {
		return m
	}
	der, err := marshalK1PKCS8(secp256k1.PrivKeyFromBytes(m))
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func TestOpenSSLCrossCheck(t *testing.T) {
	requireOpenSSL(t)
	for _, c := range validSignCases() {
		t.Run(c.alg+"/"+string(c.spec), func(t *testing.T) {
			dir := t.TempDir()
			pub := writePEM(t, dir, "pub.pem", "PUBLIC KEY", publicDER(t, c.spec))
			key := writePEM(t, dir, "key.pem", "PRIVATE KEY", privatePKCS8(t, c.spec))
			msg := writeFile(t, dir, "msg", testMessage)
			md := opensslDigest(c.alg)

			// kmsd RAW signature -> openssl dgst -verify.
			sig, err := Sign(c.spec, material(t, c.spec), c.alg, testMessage, true)
			if err != nil {
				t.Fatal(err)
			}
			args := []string{"dgst", "-" + md, "-verify", pub, "-signature", writeFile(t, dir, "sig", sig)}
			for _, o := range opensslSigOpts(c.alg, "digest") {
				args = append(args, "-sigopt", o)
			}
			if out, err := runOpenSSL(t, nil, append(args, msg)...); err != nil {
				t.Fatalf("openssl dgst -verify rejects kmsd signature: %v %s", err, out)
			}

			// kmsd DIGEST signature -> openssl pkeyutl -verify (not for SM2,
			// whose digest is SM3(Z_A||M), not a plain hash OpenSSL can take).
			if c.spec != domain.SpecSM2 {
				d := digestFor(t, c, testMessage)
				dsig, err := Sign(c.spec, material(t, c.spec), c.alg, d, false)
				if err != nil {
					t.Fatal(err)
				}
				args := []string{"pkeyutl", "-verify", "-pubin", "-inkey", pub, "-in", writeFile(t, dir, "digest", d),
					"-sigfile", writeFile(t, dir, "dsig", dsig), "-pkeyopt", "digest:" + md}
				for _, o := range opensslSigOpts(c.alg, "digest") {
					args = append(args, "-pkeyopt", o)
				}
				if out, err := runOpenSSL(t, nil, args...); err != nil {
					t.Fatalf("openssl pkeyutl -verify rejects kmsd digest signature: %v %s", err, out)
				}
			}

			// openssl signature (PSS: maximum salt length) -> kmsd Verify.
			args = []string{"dgst", "-" + md, "-sign", key}
			for _, o := range opensslSigOpts(c.alg, "max") {
				args = append(args, "-sigopt", o)
			}
			osig, err := runOpenSSL(t, nil, append(args, msg)...)
			if err != nil {
				t.Fatalf("openssl dgst -sign: %v", err)
			}
			if ok, err := Verify(c.spec, publicDER(t, c.spec), c.alg, testMessage, osig, true); !ok || err != nil {
				t.Fatalf("kmsd rejects the OpenSSL signature: %v, %v", ok, err)
			}
		})
	}
}
