package cluster

import (
	"testing"

	kms "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"

	"github.com/kmsd/kmsd/internal/testkit/sdktest"
)

// kmsClient is the official SDK's KMS client.
type kmsClient = kms.KmsClient

// client returns an official SDK client for the bootstrap credential talking
// to node p only. It does not retry, so a dead node shows as an error.
func (p *proc) client(t testing.TB) *kms.KmsClient { return p.clientAs(t, testAK, testSK, testProject) }

// clientAs returns an official SDK client for a credential, talking to p.
func (p *proc) clientAs(t testing.TB, ak, sk, project string) *kms.KmsClient {
	t.Helper()
	return sdktest.Client(t, p.url, testRegion, sdktest.Credential{AK: ak, SK: sk, ProjectID: project})
}

// routeMissing reports whether err says the action is not served (yet):
// kmsd answers unknown paths with KMS.0201.
func routeMissing(err error) bool {
	_, code, ok := sdktest.ServiceError(err)
	return ok && code == "KMS.0201"
}

// encrypt encrypts plain under key id with encrypt-data.
func encrypt(c *kms.KmsClient, id, plain string) (string, error) {
	resp, err := c.EncryptData(&model.EncryptDataRequest{Body: &model.EncryptDataRequestBody{KeyId: id, PlainText: plain}})
	if err != nil {
		return "", err
	}
	return *resp.CipherText, nil
}

// decrypt decrypts a ciphertext with decrypt-data.
func decrypt(c *kms.KmsClient, ct string) (string, error) {
	resp, err := c.DecryptData(&model.DecryptDataRequest{Body: &model.DecryptDataRequestBody{CipherText: ct}})
	if err != nil {
		return "", err
	}
	return *resp.PlainText, nil
}

// deref returns *s, or "" for nil.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
