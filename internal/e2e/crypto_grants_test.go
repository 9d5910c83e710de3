package e2e

import (
	"context"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"

	"github.com/kmsd/kmsd/internal/domain"
)

const granteeSeed = `
accounts:
  - name: grantee-acct
    projects:
      - name: local-1
    users:
      - name: bob
        password: "bob password 1234"
        credentials:
          - access_key: BOBACCESSKEY00000000
            secret_key: BobSecretKey0123456789abcdefghijklmnopq
            projects: [local-1]
`

// TestReEncryptGrants checks that re-encrypt needs decrypt on the source
// key and encrypt on the destination key (decrypt-datakey / encrypt-datakey
// for DEK envelopes), and that a grantee's data-plane calls are limited to
// the granted operations.
func TestReEncryptGrants(t *testing.T) {
	nd := startNode(t, withSeed(t, granteeSeed))
	ctx := context.Background()
	acct := must[domain.Account](t)(nd.n.Store.GetAccountByName(ctx, "grantee-acct"))
	bob := must[domain.User](t)(nd.n.Store.GetUserByName(ctx, acct.ID, "bob"))
	projects := must[[]domain.Project](t)(nd.n.Store.ListProjects(ctx, acct.ID, testRegion))
	owner, bc := nd.client(), nd.clientFor("BOBACCESSKEY00000000", "BobSecretKey0123456789abcdefghijklmnopq", projects[0].ID)

	src := newCryptoKey(t, owner, "g-src", "AES_256", "")
	dst := newCryptoKey(t, owner, "g-dst", "AES_256", "")
	grant := func(id string, ops ...string) {
		_, err := owner.CreateGrant(&model.CreateGrantRequest{Body: &model.CreateGrantRequestBody{KeyId: id, GranteePrincipal: bob.ID, Operations: ops}})
		if err != nil {
			t.Fatalf("create-grant %v: %v", ops, err)
		}
	}
	grant(src, "decrypt-data", "encrypt-data")
	grant(dst, "encrypt-datakey", "decrypt-datakey")
	ct := encryptOK(t, bc, src, "shared", "", nil)
	decryptOK(t, bc, ct, "", "", nil, "shared", src)
	dek := *createDatakey(t, owner, src, "", "", nil).CipherText

	for name, tc := range map[string]struct {
		body model.ReEncryptRequestBody
		code string
	}{
		"data into a key without encrypt-data":   {model.ReEncryptRequestBody{CipherText: ct, DestinationKeyId: dst}, "KMS.0306"},
		"DEK from a key without decrypt-datakey": {model.ReEncryptRequestBody{CipherText: dek, DestinationKeyId: dst}, "KMS.0306"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := reEncrypt(bc, tc.body)
			wantErr(t, err, 403, tc.code)
		})
	}
	_, err := bc.CreateDatakey(&model.CreateDatakeyRequest{Body: &model.CreateDatakeyRequestBody{KeyId: src}})
	wantErr(t, err, 403, "KMS.0306")

	grant(src, "decrypt-datakey")
	grant(dst, "encrypt-data")
	if _, err := reEncrypt(bc, model.ReEncryptRequestBody{CipherText: ct, DestinationKeyId: dst}); err != nil {
		t.Fatalf("re-encrypt data with both grants: %v", err)
	}
	if _, err := reEncrypt(bc, model.ReEncryptRequestBody{CipherText: dek, DestinationKeyId: dst}); err != nil {
		t.Fatalf("re-encrypt DEK with both grants: %v", err)
	}
	other := newCryptoKey(t, owner, "g-other", "AES_256", "")
	_, err = bc.EncryptData(encryptReq(t, other, "x", "", nil))
	wantErr(t, err, 404, "KMS.0207")
}
