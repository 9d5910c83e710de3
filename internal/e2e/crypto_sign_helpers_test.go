package e2e

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	k1ecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
	kms "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"
)

// sdkEnum builds an SDK enum value (or any JSON-decodable value) from a string.
func sdkEnum[T any](t testing.TB, s string) T {
	t.Helper()
	var v T
	raw, _ := json.Marshal(s)
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func msgType[T any](t testing.TB, raw bool) *T {
	v := sdkEnum[T](t, map[bool]string{true: "RAW", false: "DIGEST"}[raw])
	return &v
}

// signWith calls sign with the SDK.
func signWith(t testing.TB, c *kms.KmsClient, id, alg string, msg []byte, raw bool) ([]byte, error) {
	t.Helper()
	resp, err := c.Sign(&model.SignRequest{Body: &model.SignRequestBody{
		KeyId: id, Message: b64(msg), SigningAlgorithm: sdkEnum[model.SignRequestBodySigningAlgorithm](t, alg),
		MessageType: msgType[model.SignRequestBodyMessageType](t, raw)}})
	if err != nil {
		return nil, err
	}
	return unb64(t, resp.Signature), nil
}

// verifyWith calls verify with the SDK and returns signature_valid.
func verifyWith(t testing.TB, c *kms.KmsClient, id, alg string, msg, sig []byte, raw bool) (string, error) {
	t.Helper()
	resp, err := c.ValidateSignature(&model.ValidateSignatureRequest{Body: &model.VerifyRequestBody{
		KeyId: id, Message: b64(msg), Signature: b64(sig),
		SigningAlgorithm: sdkEnum[model.VerifyRequestBodySigningAlgorithm](t, alg),
		MessageType:      msgType[model.VerifyRequestBodyMessageType](t, raw)}})
	if err != nil {
		return "", err
	}
	if *resp.KeyId != id {
		t.Fatalf("verify key_id %s, want %s", *resp.KeyId, id)
	}
	return *resp.SignatureValid, nil
}

// algHash is the stdlib hash of a signing algorithm (0 for SM2DSA_SM3).
func algHash(alg string) crypto.Hash {
	switch {
	case alg == "SM2DSA_SM3":
		return 0
	case strings.HasSuffix(alg, "_384"):
		return crypto.SHA384
	case strings.HasSuffix(alg, "_512"):
		return crypto.SHA512
	}
	return crypto.SHA256
}

// digestOf computes the DIGEST-mode message for alg independently: the
// plain hash, or for SM2DSA_SM3 e = SM3(Z_A || M) with the default user id.
func digestOf(t testing.TB, alg string, pub any, msg []byte) []byte {
	t.Helper()
	h := algHash(alg)
	if h == 0 {
		za, err := sm2.CalculateZA(ecPublic(t, pub), []byte("1234567812345678"))
		if err != nil {
			t.Fatal(err)
		}
		d := sm3.Sum(append(za, msg...))
		return d[:]
	}
	hh := h.New()
	hh.Write(msg)
	return hh.Sum(nil)
}

// verifyIndependently checks sig over digest (the DIGEST-mode message of
// msg) with the stdlib, gmsm or decred.
func verifyIndependently(t testing.TB, spec, alg string, pub any, digest, sig []byte) bool {
	t.Helper()
	switch {
	case strings.HasPrefix(alg, "RSASSA_PSS"):
		return rsa.VerifyPSS(pub.(*rsa.PublicKey), algHash(alg), digest, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}) == nil
	case strings.HasPrefix(alg, "RSASSA_PKCS1"):
		return rsa.VerifyPKCS1v15(pub.(*rsa.PublicKey), algHash(alg), digest, sig) == nil
	case spec == "SM2":
		return sm2.VerifyASN1(ecPublic(t, pub), digest, sig)
	case spec == "SECP256K1":
		s, err := k1ecdsa.ParseDERSignature(sig)
		return err == nil && s.Verify(digest, pub.(*secp256k1.PublicKey))
	}
	return ecdsa.VerifyASN1(ecPublic(t, pub), digest, sig)
}

// opensslVerify verifies a RAW signature with the openssl CLI.
func opensslVerify(t testing.TB, alg string, pubDER, msg, sig []byte) {
	t.Helper()
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pemText := "-----BEGIN PUBLIC KEY-----\n" + wrap64(b64(pubDER)) + "\n-----END PUBLIC KEY-----\n"
	md := map[crypto.Hash]string{0: "sm3", crypto.SHA256: "sha256", crypto.SHA384: "sha384", crypto.SHA512: "sha512"}[algHash(alg)]
	args := []string{"dgst", "-" + md, "-verify", write("pub.pem", []byte(pemText)), "-signature", write("sig", sig)}
	switch {
	case strings.HasPrefix(alg, "RSASSA_PSS"):
		args = append(args, "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:-1")
	case alg == "SM2DSA_SM3":
		args = append(args, "-sigopt", "distid:1234567812345678")
	}
	out, err := runCmd("openssl", append(args, write("msg", msg))...)
	if err != nil || !strings.Contains(out, "Verified OK") {
		t.Fatalf("openssl rejects the kmsd %s signature: %v %s", alg, err, out)
	}
}

func wrap64(s string) string {
	var b strings.Builder
	for len(s) > 64 {
		b.WriteString(s[:64] + "\n")
		s = s[64:]
	}
	b.WriteString(s)
	return b.String()
}

// keysFor creates one key per spec with usage, concurrently (RSA_4096
// generation takes seconds), and returns spec -> key id.
func keysFor(t testing.TB, c *kms.KmsClient, usage string, specs ...string) map[string]string {
	t.Helper()
	var mu sync.Mutex
	var wg sync.WaitGroup
	ids, errs := map[string]string{}, map[string]error{}
	for _, spec := range specs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id, err := tryKey(c, spec, usage, "")
			mu.Lock()
			ids[spec], errs[spec] = id, err
			mu.Unlock()
		}()
	}
	wg.Wait()
	for spec, err := range errs {
		if err != nil {
			t.Fatalf("create %s key: %v", spec, err)
		}
	}
	return ids
}
