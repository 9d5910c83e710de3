package e2e

import (
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"
)

func updateAlias(nd *node, id, alias string) (*model.UpdateKeyAliasResponse, error) {
	return nd.client().UpdateKeyAlias(&model.UpdateKeyAliasRequest{
		Body: &model.UpdateKeyAliasRequestBody{KeyId: id, KeyAlias: alias}})
}

// TestUpdateKeyAlias renames a key and checks the rules: a valid alias,
// unique in the project, on a key not pending deletion.
func TestUpdateKeyAlias(t *testing.T) {
	nd := startNode(t)
	id := createKey(t, nd.client(), "before", nil)
	other := createKey(t, nd.client(), "taken", nil)
	resp := must[*model.UpdateKeyAliasResponse](t)(updateAlias(nd, id, "after"))
	if resp.KeyInfo == nil || *resp.KeyInfo.KeyId != id || *resp.KeyInfo.KeyAlias != "after" {
		t.Fatalf("update-key-alias answered %+v", resp.KeyInfo)
	}
	if got := describe(t, nd.client(), id).KeyAlias; got == nil || *got != "after" {
		t.Fatalf("describe-key shows alias %v", got)
	}
	t.Run("invalid alias", func(t *testing.T) {
		_, err := updateAlias(nd, id, "no spaces")
		wantErr(t, err, 400, "KMS.1101")
	})
	t.Run("alias of another key", func(t *testing.T) {
		_, err := updateAlias(nd, id, "taken")
		wantErr(t, err, 400, "KMS.1104")
	})
	t.Run("pending deletion", func(t *testing.T) {
		must[*model.DeleteKeyResponse](t)(scheduleDeletion(nd.client(), other, "7"))
		_, err := updateAlias(nd, other, "renamed")
		wantErr(t, err, 400, "KMS.0210")
	})
}
