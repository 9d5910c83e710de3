package e2e

import (
	kms "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"

	"github.com/kmsd/kmsd/internal/testkit/sdktest"
)

// The e2e tests call the shared SDK helpers by these names.
var (
	// createKey creates a key of spec (nil: default) and returns its id.
	createKey = sdktest.MustCreateKey
	// describe returns a key's describe-key details.
	describe = sdktest.MustDescribe
	// operate is the request body naming one key.
	operate = sdktest.Operate
)

func updateDescription(c *kms.KmsClient, id, desc string) (*model.UpdateKeyDescriptionResponse, error) {
	return c.UpdateKeyDescription(&model.UpdateKeyDescriptionRequest{
		Body: &model.UpdateKeyDescriptionRequestBody{KeyId: id, KeyDescription: desc}})
}

func scheduleDeletion(c *kms.KmsClient, id, days string) (*model.DeleteKeyResponse, error) {
	return c.DeleteKey(&model.DeleteKeyRequest{Body: &model.ScheduleKeyDeletionRequestBody{KeyId: id, PendingDays: days}})
}

func specPtr(s model.CreateKeyRequestBodyKeySpec) *model.CreateKeyRequestBodyKeySpec { return &s }
