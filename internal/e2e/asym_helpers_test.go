package e2e

import (
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os/exec"
	"sync/atomic"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/emmansun/gmsm/smx509"
	kms "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"

	"github.com/kmsd/kmsd/internal/testkit/deps"
)

var aliasCounter atomic.Int64

// tryKey creates a key with any spec, usage and origin ("" = default)
// through the SDK; the body is built with json.Unmarshal so that specs and
// usages missing from the SDK enums (HMAC_*, GENERATE_VERIFY_MAC) work.
func tryKey(c *kms.KmsClient, spec, usage, origin string) (string, error) {
	fields := map[string]string{"key_alias": fmt.Sprintf("asym-%d", aliasCounter.Add(1))}
	for k, v := range map[string]string{"key_spec": spec, "key_usage": usage, "origin": origin} {
		if v != "" {
			fields[k] = v
		}
	}
	raw, _ := json.Marshal(fields)
	var body model.CreateKeyRequestBody
	if err := json.Unmarshal(raw, &body); err != nil {
		return "", err
	}
	resp, err := c.CreateKey(&model.CreateKeyRequest{Body: &body})
	if err != nil {
		return "", err
	}
	return *resp.KeyInfo.KeyId, nil
}

// newKey is tryKey that fails the test on error.
func newKey(t testing.TB, c *kms.KmsClient, spec, usage, origin string) string {
	t.Helper()
	id, err := tryKey(c, spec, usage, origin)
	if err != nil {
		t.Fatalf("create-key %s/%s/%s: %v", spec, usage, origin, err)
	}
	return id
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func unb64(t testing.TB, s *string) []byte {
	t.Helper()
	if s == nil {
		t.Fatal("missing base64 field")
	}
	b, err := base64.StdEncoding.DecodeString(*s)
	if err != nil {
		t.Fatalf("not base64: %q", *s)
	}
	return b
}

// publicKeyDER fetches a key's public key with get-publickey and returns the
// DER inside the PEM, checking the PEM shape (one PUBLIC KEY block, CRLF).
func publicKeyDER(t testing.TB, c *kms.KmsClient, id string) []byte {
	t.Helper()
	resp, err := c.ShowPublicKey(&model.ShowPublicKeyRequest{Body: operate(id)})
	if err != nil {
		t.Fatalf("get-publickey: %v", err)
	}
	if *resp.KeyId != id {
		t.Fatalf("key_id %s, want %s", *resp.KeyId, id)
	}
	blk, rest := pem.Decode([]byte(*resp.PublicKey))
	if blk == nil || blk.Type != "PUBLIC KEY" || len(rest) != 0 {
		t.Fatalf("public_key is not one PUBLIC KEY PEM block: %q", *resp.PublicKey)
	}
	return blk.Bytes
}

// parsePublic parses SPKI DER independently of kmsd: crypto/x509 for RSA
// and NIST curves, gmsm smx509 for SM2, decred for secp256k1 (whose curve
// crypto/x509 does not know).
func parsePublic(t testing.TB, spec string, der []byte) any {
	t.Helper()
	var (
		k   any
		err error
	)
	switch spec {
	case "SM2":
		k, err = smx509.ParsePKIXPublicKey(der)
	case "SECP256K1":
		k, err = secp256k1.ParsePubKey(spkiPoint(t, der, oidSecp256k1))
	default:
		k, err = x509.ParsePKIXPublicKey(der)
	}
	if err != nil {
		t.Fatalf("parse %s public key: %v", spec, err)
	}
	return k
}

var (
	oidECPublicKey = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidSecp256k1   = asn1.ObjectIdentifier{1, 3, 132, 0, 10}
)

type spki struct {
	Algo struct {
		Algorithm asn1.ObjectIdentifier
		Curve     asn1.ObjectIdentifier
	}
	Point asn1.BitString
}

// spkiPoint checks an id-ecPublicKey SPKI on curve and returns its point.
func spkiPoint(t testing.TB, der []byte, curve asn1.ObjectIdentifier) []byte {
	t.Helper()
	var s spki
	if rest, err := asn1.Unmarshal(der, &s); err != nil || len(rest) != 0 {
		t.Fatalf("SPKI: %v", err)
	}
	if !s.Algo.Algorithm.Equal(oidECPublicKey) || !s.Algo.Curve.Equal(curve) {
		t.Fatalf("SPKI algorithm %v curve %v", s.Algo.Algorithm, s.Algo.Curve)
	}
	return s.Point.Bytes
}

// k1SPKI encodes a secp256k1 public key as SPKI (uncompressed point).
func k1SPKI(t testing.TB, pub *secp256k1.PublicKey) []byte {
	t.Helper()
	var s spki
	s.Algo.Algorithm, s.Algo.Curve = oidECPublicKey, oidSecp256k1
	s.Point = asn1.BitString{Bytes: pub.SerializeUncompressed(), BitLength: 65 * 8}
	der, err := asn1.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// ecPublic asserts k is an *ecdsa.PublicKey.
func ecPublic(t testing.TB, k any) *ecdsa.PublicKey {
	t.Helper()
	pk, ok := k.(*ecdsa.PublicKey)
	if !ok {
		t.Fatalf("public key is %T, want ECDSA", k)
	}
	return pk
}

// requireOpenSSL skips t through deps.OpenSSL unless the openssl CLI is
// installed.
func requireOpenSSL(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("openssl"); err != nil {
		deps.OpenSSL.Skip(t, "not in PATH; the OpenSSL cross-check did NOT run")
	}
}

// disable disables a key with the SDK.
func disable(t testing.TB, c *kms.KmsClient, id string) {
	t.Helper()
	if _, err := c.DisableKey(&model.DisableKeyRequest{Body: operate(id)}); err != nil {
		t.Fatalf("disable-key: %v", err)
	}
}

// schedule puts a key in pending deletion with the SDK.
func schedule(t testing.TB, c *kms.KmsClient, id string) {
	t.Helper()
	if _, err := scheduleDeletion(c, id, "7"); err != nil {
		t.Fatalf("schedule-key-deletion: %v", err)
	}
}

// runCmd runs a command and returns its combined output.
func runCmd(name string, args ...string) (string, error) {
	out, err := exec.Command(name, args...).CombinedOutput()
	return string(out), err
}
