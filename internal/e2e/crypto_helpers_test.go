package e2e

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	kms "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
)

// enumOf builds any SDK enum value, including names the SDK's enum lacks
// (HMAC key specs, RSAES_OAEP_SHA_1, invalid names for refusal tests).
func enumOf[T any](t testing.TB, v string) *T {
	t.Helper()
	p := new(T)
	if err := any(p).(json.Unmarshaler).UnmarshalJSON([]byte(strconv.Quote(v))); err != nil {
		t.Fatal(err)
	}
	return p
}

// newCryptoKey creates a key of spec and usage ("" = the spec's default).
func newCryptoKey(t testing.TB, c *kms.KmsClient, alias, spec, usage string) string {
	t.Helper()
	body := &model.CreateKeyRequestBody{KeyAlias: alias, KeySpec: enumOf[model.CreateKeyRequestBodyKeySpec](t, spec)}
	if usage != "" {
		body.KeyUsage = enumOf[model.CreateKeyRequestBodyKeyUsage](t, usage)
	}
	resp, err := c.CreateKey(&model.CreateKeyRequest{Body: body})
	if err != nil {
		t.Fatalf("create-key %s %s %s: %v", alias, spec, usage, err)
	}
	return *resp.KeyInfo.KeyId
}

// encryptReq is an encrypt-data body; alg "" and aad nil are omitted.
func encryptReq(t testing.TB, id, plain, alg string, aad *string) *model.EncryptDataRequest {
	b := &model.EncryptDataRequestBody{KeyId: id, PlainText: plain, AdditionalAuthenticatedData: aad}
	if alg != "" {
		b.EncryptionAlgorithm = enumOf[model.EncryptDataRequestBodyEncryptionAlgorithm](t, alg)
	}
	return &model.EncryptDataRequest{Body: b}
}

// decryptReq is a decrypt-data body; id "", alg "" and aad nil are omitted.
func decryptReq(t testing.TB, ct, id, alg string, aad *string) *model.DecryptDataRequest {
	b := &model.DecryptDataRequestBody{CipherText: ct, AdditionalAuthenticatedData: aad}
	if id != "" {
		b.KeyId = &id
	}
	if alg != "" {
		b.EncryptionAlgorithm = enumOf[model.DecryptDataRequestBodyEncryptionAlgorithm](t, alg)
	}
	return &model.DecryptDataRequest{Body: b}
}

// encryptOK encrypts and returns the ciphertext.
func encryptOK(t testing.TB, c *kms.KmsClient, id, plain, alg string, aad *string) string {
	t.Helper()
	resp, err := c.EncryptData(encryptReq(t, id, plain, alg, aad))
	if err != nil {
		t.Fatalf("encrypt-data with %s (%s): %v", id, alg, err)
	}
	return *resp.CipherText
}

// decryptOK decrypts and checks the plaintext and key id.
func decryptOK(t testing.TB, c *kms.KmsClient, ct, id, alg string, aad *string, wantPlain, wantKey string) {
	t.Helper()
	resp, err := c.DecryptData(decryptReq(t, ct, id, alg, aad))
	if err != nil {
		t.Fatalf("decrypt-data (key_id %q, %s): %v", id, alg, err)
	}
	if *resp.PlainText != wantPlain || *resp.KeyId != wantKey {
		t.Fatalf("decrypt-data: got key %s plain %q, want %s %q", *resp.KeyId, *resp.PlainText, wantKey, wantPlain)
	}
}

// addAlias points alias name ("alias/…") at key id in the bootstrap project,
// directly in the store (the alias API belongs to another area).
func addAlias(t testing.TB, nd *node, name, id string) {
	t.Helper()
	ctx := context.Background()
	k, err := nd.n.Store.GetKey(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	err = nd.n.Store.Update(ctx, func(tx store.Tx) error {
		return tx.CreateAlias(ctx, domain.Alias{ProjectID: k.ProjectID, DomainID: k.DomainID, Name: name, KeyID: id, CreatedAt: now, UpdatedAt: now})
	})
	if err != nil {
		t.Fatal(err)
	}
}
