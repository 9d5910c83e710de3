package e2e

import (
	"testing"

	kms "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"
)

// createKey creates a key of spec ("" = default) with the SDK and returns its id.
func createKey(t testing.TB, c *kms.KmsClient, alias string, spec *model.CreateKeyRequestBodyKeySpec) string {
	t.Helper()
	resp, err := c.CreateKey(&model.CreateKeyRequest{Body: &model.CreateKeyRequestBody{KeyAlias: alias, KeySpec: spec}})
	if err != nil {
		t.Fatalf("create-key %s: %v", alias, err)
	}
	return *resp.KeyInfo.KeyId
}

func describe(t testing.TB, c *kms.KmsClient, id string) model.KeyDetails {
	t.Helper()
	resp, err := c.ListKeyDetail(&model.ListKeyDetailRequest{Body: &model.OperateKeyRequestBody{KeyId: id}})
	if err != nil {
		t.Fatalf("describe-key %s: %v", id, err)
	}
	return *resp.KeyInfo
}

func updateDescription(c *kms.KmsClient, id, desc string) (*model.UpdateKeyDescriptionResponse, error) {
	return c.UpdateKeyDescription(&model.UpdateKeyDescriptionRequest{
		Body: &model.UpdateKeyDescriptionRequestBody{KeyId: id, KeyDescription: desc}})
}

func scheduleDeletion(c *kms.KmsClient, id, days string) (*model.DeleteKeyResponse, error) {
	return c.DeleteKey(&model.DeleteKeyRequest{Body: &model.ScheduleKeyDeletionRequestBody{KeyId: id, PendingDays: days}})
}

func operate(id string) *model.OperateKeyRequestBody { return &model.OperateKeyRequestBody{KeyId: id} }

func specPtr(s model.CreateKeyRequestBodyKeySpec) *model.CreateKeyRequestBodyKeySpec { return &s }
