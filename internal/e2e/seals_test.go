package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"

	"github.com/kmsd/kmsd/internal/service"
)

// startSealNode starts a test node whose key versions seal at most limit
// messages, reserving block at a time in the store.
func startSealNode(t *testing.T, limit, block int64) *node {
	t.Helper()
	nd := newNode(t)
	nd.seals = service.SealLimits{Limit: limit, Block: block}
	nd.start()
	t.Cleanup(nd.stop)
	return nd
}

// TestSealLimitRotatesKey attacks the AES-GCM bound through the SDK: a key
// whose material kmsd generated is rotated (get-key-rotation-status counts
// it) before any encryption is refused, and every ciphertext still
// decrypts.
func TestSealLimitRotatesKey(t *testing.T) {
	nd := startSealNode(t, 20, 3)
	c := nd.client()
	id := createKey(t, c, "seal-rotates", nil)
	cts := map[string]string{}
	for i := range 50 {
		pt := fmt.Sprintf("message %d", i)
		cts[pt] = encryptOK(t, c, id, pt, "", nil)
	}
	if st := rotationStatus(t, c, id); *st.NumberOfRotations < 2 {
		t.Fatalf("50 seals at a limit of 20 rotated the key %d times, want at least 2", *st.NumberOfRotations)
	}
	for pt, ct := range cts {
		decryptOK(t, c, ct, "", "", nil, pt, id)
	}
}

// TestSealLimitPersistsAcrossRestart: imported material cannot be rotated,
// so encryption stops with 400 KMS.2109 at the limit, and the count
// survives a restart of the node (which forfeits the rest of its block but
// never starts from zero). Decryption goes on.
func TestSealLimitPersistsAcrossRestart(t *testing.T) {
	const limit, block = 10, 4
	nd := startSealNode(t, limit, block)
	c := nd.client()
	resp, err := c.CreateKey(&model.CreateKeyRequest{Body: &model.CreateKeyRequestBody{KeyAlias: "seal-imported",
		Origin: enumOf[model.CreateKeyRequestBodyOrigin](t, "external")}})
	if err != nil {
		t.Fatal(err)
	}
	id := *resp.KeyInfo.KeyId
	noErr(t, importSymmetric(t, c, id, bytes.Repeat([]byte{9}, 32), nil))
	first := encryptOK(t, c, id, "before restart", "", nil)
	for range 4 {
		encryptOK(t, c, id, "x", "", nil)
	}
	nd.restart()
	c = nd.client()
	sealed := 5
	for ; ; sealed++ {
		_, err := c.EncryptData(encryptReq(t, id, "after restart", "", nil))
		var se *sdkerr.ServiceResponseError
		if errors.As(err, &se) && se.ErrorCode == "KMS.2109" {
			wantErr(t, err, 400, "KMS.2109")
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if sealed > limit {
			t.Fatalf("%d seals under one version with a limit of %d", sealed, limit)
		}
	}
	if sealed < limit-(block-1) {
		t.Fatalf("refused after %d seals, want at least %d", sealed, limit-(block-1))
	}
	_, err = c.CreateDatakey(&model.CreateDatakeyRequest{Body: &model.CreateDatakeyRequestBody{KeyId: id, DatakeyLength: ptr("256")}})
	wantErr(t, err, 400, "KMS.2109")
	decryptOK(t, c, first, "", "", nil, "before restart", id)
}
