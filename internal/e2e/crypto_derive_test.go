package e2e

import (
	"bytes"
	"crypto/ecdh"
	"crypto/rand"
	"crypto/x509"
	"net/http"
	"regexp"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	smecdh "github.com/emmansun/gmsm/ecdh"
	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
	kms "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"
)

func derive(t testing.TB, c *kms.KmsClient, id string, peer []byte, rcpt *model.Recipient) ([]byte, error) {
	r, err := c.DeriveSharedSecret(&model.DeriveSharedSecretRequest{Body: &model.DeriveSharedSecretRequestBody{
		KeyId: id, KeyAgreementAlgorithm: model.GetDeriveSharedSecretRequestBodyKeyAgreementAlgorithmEnum().ECDH,
		PublicKey: b64(peer), Recipient: rcpt}})
	if err != nil {
		return nil, err
	}
	if *r.KeyId != id || *r.KeyAgreementAlgorithm != "ECDH" {
		t.Fatalf("derive-shared-secret echoed %s %s", *r.KeyId, *r.KeyAgreementAlgorithm)
	}
	return unb64(t, r.SharedSecret), nil
}

// peerFor generates the test's own key pair on spec's curve and returns its
// SPKI and the ECDH secret it computes with kmsd's public key.
func peerFor(t testing.TB, spec string, kmsdPub any) ([]byte, []byte) {
	t.Helper()
	switch spec {
	case "SECP256K1":
		k := must[*secp256k1.PrivateKey](t)(secp256k1.GeneratePrivateKey())
		return k1SPKI(t, k.PubKey()), secp256k1.GenerateSharedSecret(k, kmsdPub.(*secp256k1.PublicKey))
	case "SM2":
		k := must[*sm2.PrivateKey](t)(sm2.GenerateKey(rand.Reader))
		priv := must[*smecdh.PrivateKey](t)(k.ECDH())
		pub := must[*smecdh.PublicKey](t)(sm2.PublicKeyToECDH(ecPublic(t, kmsdPub)))
		return must[[]byte](t)(smx509.MarshalPKIXPublicKey(&k.PublicKey)), must[[]byte](t)(priv.ECDH(pub))
	}
	curve := map[string]ecdh.Curve{"EC_P256": ecdh.P256(), "EC_P384": ecdh.P384()}[spec]
	k := must[*ecdh.PrivateKey](t)(curve.GenerateKey(rand.Reader))
	pub := must[*ecdh.PublicKey](t)(ecPublic(t, kmsdPub).ECDH())
	return must[[]byte](t)(x509.MarshalPKIXPublicKey(k.PublicKey())), must[[]byte](t)(k.ECDH(pub))
}

// TestDeriveSharedSecretEveryCurve checks that kmsd's ECDH secret equals the
// one the test computes (crypto/ecdh, decred, gmsm) from its own private key
// and kmsd's public key, on every curve.
func TestDeriveSharedSecretEveryCurve(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	specs := []string{"EC_P256", "EC_P384", "SECP256K1", "SM2"}
	keys := keysFor(t, c, "SIGN_VERIFY", specs...)
	for _, spec := range specs {
		t.Run(spec, func(t *testing.T) {
			peer, want := peerFor(t, spec, parsePublic(t, spec, publicKeyDER(t, c, keys[spec])))
			got := must[[]byte](t)(derive(t, c, keys[spec], peer, nil))
			if !bytes.Equal(got, want) {
				t.Fatalf("shared secret %x, want %x", got, want)
			}
		})
	}
}

// TestDeriveSharedSecretRefusals covers key kinds, states, peer keys and
// the unsupported enclave recipient.
func TestDeriveSharedSecretRefusals(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	keys := keysFor(t, c, "", "EC_P256", "EC_P384", "RSA_2048", "AES_256", "HMAC_256")
	sm2Enc := newKey(t, c, "SM2", "ENCRYPT_DECRYPT", "")
	disabled := newKey(t, c, "EC_P256", "", "")
	disable(t, c, disabled)
	p256Peer, _ := peerFor(t, "EC_P256", parsePublic(t, "EC_P256", publicKeyDER(t, c, keys["EC_P256"])))
	p384Peer, _ := peerFor(t, "EC_P384", parsePublic(t, "EC_P384", publicKeyDER(t, c, keys["EC_P384"])))
	rcpt := &model.Recipient{AttestationDocument: ptr("AAAA"), KeyEncryptionAlgorithm: ptr("RSAES_OAEP_SHA_256")}
	for name, tc := range map[string]struct {
		id   string
		peer []byte
		rcpt *model.Recipient
		code string
	}{
		"RSA key":             {keys["RSA_2048"], p256Peer, nil, "KMS.0332"},
		"AES key":             {keys["AES_256"], p256Peer, nil, "KMS.0331"},
		"HMAC key":            {keys["HMAC_256"], p256Peer, nil, "KMS.0341"},
		"SM2 encryption key":  {sm2Enc, p256Peer, nil, "KMS.0334"},
		"disabled":            {disabled, p256Peer, nil, "KMS.0209"},
		"peer on other curve": {keys["EC_P256"], p384Peer, nil, "KMS.0308"},
		"peer not SPKI":       {keys["EC_P256"], []byte("not a key"), nil, "KMS.0308"},
		"enclave recipient":   {keys["EC_P256"], p256Peer, rcpt, "KMS.0308"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := derive(t, c, tc.id, tc.peer, tc.rcpt)
			wantErr(t, err, http.StatusBadRequest, tc.code)
		})
	}
	id := keys["EC_P256"]
	for name, tc := range map[string]struct{ body, code string }{
		"other algorithm":    {`{"key_id":"` + id + `","key_agreement_algorithm":"ECMQV","public_key":"AAAA"}`, "KMS.0308"},
		"public_key not b64": {`{"key_id":"` + id + `","key_agreement_algorithm":"ECDH","public_key":"*"}`, "KMS.0308"},
		"missing public_key": {`{"key_id":"` + id + `","key_agreement_algorithm":"ECDH"}`, "KMS.0204"},
	} {
		t.Run(name, func(t *testing.T) {
			st, h, body := nd.do("POST", kmsPath("derive-shared-secret"), tc.body, true, nil)
			wantRaw(t, st, h, body, http.StatusBadRequest, tc.code)
		})
	}
}

// TestCreatePin checks that create-pin returns fresh random 32-hex-digit
// PINs for both PIN types and refuses unknown types.
func TestCreatePin(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	seen := map[string]bool{}
	hexRe := regexp.MustCompile(`^[0-9A-F]{32}$`)
	for _, pt := range []*model.CreatePinRequestBodyPinType{nil,
		ptr(model.GetCreatePinRequestBodyPinTypeEnum().PLAIN_TEXT), ptr(model.GetCreatePinRequestBodyPinTypeEnum().CIPHER_TEXT)} {
		r := must[*model.CreatePinResponse](t)(c.CreatePin(&model.CreatePinRequest{Body: &model.CreatePinRequestBody{PinType: pt, KeystoreId: ptr("1")}}))
		if !hexRe.MatchString(*r.Pin) || seen[*r.Pin] {
			t.Fatalf("pin %q (seen before: %v)", *r.Pin, seen[*r.Pin])
		}
		seen[*r.Pin] = true
	}
	st, h, body := nd.do("POST", kmsPath("create-pin"), `{"pin_type":"Secret"}`, true, nil)
	wantRaw(t, st, h, body, http.StatusBadRequest, "KMS.0308")
}
