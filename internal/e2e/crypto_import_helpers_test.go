package e2e

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	kms "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"
	"github.com/tink-crypto/tink-go/v2/kwp/subtle"
)

// importParams is the answer of get-parameters-for-import, decoded.
type importParams struct {
	token  string
	expiry int64
	wrap   *rsa.PublicKey
}

func getImportParams(t testing.TB, c *kms.KmsClient, id string) (importParams, error) {
	r, err := c.CreateParametersForImport(&model.CreateParametersForImportRequest{Body: &model.GetParametersForImportRequestBody{
		KeyId: id, WrappingAlgorithm: model.GetGetParametersForImportRequestBodyWrappingAlgorithmEnum().RSAES_OAEP_SHA_256}})
	if err != nil {
		return importParams{}, err
	}
	pub, err := x509.ParsePKIXPublicKey(unb64(t, r.PublicKey))
	rk, ok := pub.(*rsa.PublicKey)
	if err != nil || !ok || rk.N.BitLen() != 2048 || *r.KeyId != id {
		t.Fatalf("public_key is not an RSA-2048 SPKI (%T, %v) or key_id %s", pub, err, *r.KeyId)
	}
	return importParams{token: *r.ImportToken, expiry: *r.ExpirationTime, wrap: rk}, nil
}

func mustParams(t testing.TB, c *kms.KmsClient, id string) importParams {
	t.Helper()
	return must[importParams](t)(getImportParams(t, c, id))
}

// oaep wraps secret with the wrapping key (RSAES_OAEP_SHA_256), in the test.
func (p importParams) oaep(t testing.TB, secret []byte) string {
	t.Helper()
	return b64(must[[]byte](t)(rsa.EncryptOAEP(sha256.New(), rand.Reader, p.wrap, secret, nil)))
}

// kwp wraps a PKCS#8 key with RFC 5649 under tempKey (tink-go).
func kwp(t testing.TB, tempKey, pkcs8 []byte) string {
	t.Helper()
	w := must[*subtle.KWP](t)(subtle.NewKWP(tempKey))
	return b64(must[[]byte](t)(w.Wrap(pkcs8)))
}

// importBody is an import-key-material request.
type importBody struct {
	id, token, material, private string
	expiry                       *int64
}

func importKey(c *kms.KmsClient, b importBody) error {
	var priv *string
	if b.private != "" {
		priv = &b.private
	}
	_, err := c.ImportKeyMaterial(&model.ImportKeyMaterialRequest{Body: &model.ImportKeyMaterialRequestBody{
		KeyId: b.id, ImportToken: b.token, EncryptedKeyMaterial: b.material, EncryptedPrivatekey: priv, ExpirationTime: b.expiry}})
	return err
}

// importSymmetric imports material into an external symmetric key.
func importSymmetric(t testing.TB, c *kms.KmsClient, id string, material []byte, expiry *int64) error {
	t.Helper()
	p := mustParams(t, c, id)
	return importKey(c, importBody{id: id, token: p.token, material: p.oaep(t, material), expiry: expiry})
}

func deleteMaterial(c *kms.KmsClient, id string) error {
	_, err := c.DeleteImportedKeyMaterial(&model.DeleteImportedKeyMaterialRequest{Body: operate(id)})
	return err
}

// k1PKCS8 encodes a secp256k1 key as PKCS#8 with an RFC 5915 ECPrivateKey,
// as OpenSSL writes it.
func k1PKCS8(t testing.TB, k *secp256k1.PrivateKey) []byte {
	t.Helper()
	ec := struct {
		Version    int
		PrivateKey []byte
		PublicKey  asn1.BitString `asn1:"optional,explicit,tag:1"`
	}{1, k.Serialize(), asn1.BitString{Bytes: k.PubKey().SerializeUncompressed(), BitLength: 520}}
	inner := must[[]byte](t)(asn1.Marshal(ec))
	curve := must[[]byte](t)(asn1.Marshal(oidSecp256k1))
	p8 := struct {
		Version    int
		Algo       pkix.AlgorithmIdentifier
		PrivateKey []byte
	}{0, pkix.AlgorithmIdentifier{Algorithm: oidECPublicKey, Parameters: asn1.RawValue{FullBytes: curve}}, inner}
	return must[[]byte](t)(asn1.Marshal(p8))
}

// noErr fails the test on err.
func noErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}
