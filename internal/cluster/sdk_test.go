package cluster

import (
	"errors"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/region"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	kms "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"
)

// kmsClient is the official SDK's KMS client.
type kmsClient = kms.KmsClient

// client returns an official SDK client for the bootstrap credential talking
// to node p only. It does not retry, so a dead node shows as an error.
func (p *proc) client(t testing.TB) *kms.KmsClient { return p.clientAs(t, testAK, testSK, testProject) }

// clientAs returns an official SDK client for a credential, talking to p.
func (p *proc) clientAs(t testing.TB, ak, sk, project string) *kms.KmsClient {
	t.Helper()
	cred, err := basic.NewCredentialsBuilder().WithAk(ak).WithSk(sk).WithProjectId(project).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	hc, err := kms.KmsClientBuilder().WithRegion(region.NewRegion(testRegion, p.url)).
		WithCredential(cred).WithHttpConfig(config.DefaultHttpConfig().WithTimeout(20 * time.Second)).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	return kms.NewKmsClient(hc)
}

// serviceErr returns the status and KMS error code of an SDK service error,
// ok false for any other error (connection refused, timeout).
func serviceErr(err error) (status int, code string, ok bool) {
	var se *sdkerr.ServiceResponseError
	if !errors.As(err, &se) {
		return 0, "", false
	}
	return se.StatusCode, se.ErrorCode, true
}

// routeMissing reports whether err says the action is not served (yet):
// kmsd answers unknown paths with KMS.0201.
func routeMissing(err error) bool {
	_, code, ok := serviceErr(err)
	return ok && code == "KMS.0201"
}

func createKey(c *kms.KmsClient, alias string) (string, error) {
	resp, err := c.CreateKey(&model.CreateKeyRequest{Body: &model.CreateKeyRequestBody{KeyAlias: alias}})
	if err != nil {
		return "", err
	}
	return *resp.KeyInfo.KeyId, nil
}

func mustCreateKey(t testing.TB, c *kms.KmsClient, alias string) string {
	t.Helper()
	id, err := createKey(c, alias)
	if err != nil {
		t.Fatalf("create-key %s: %v", alias, err)
	}
	return id
}

func describe(c *kms.KmsClient, id string) (model.KeyDetails, error) {
	resp, err := c.ListKeyDetail(&model.ListKeyDetailRequest{Body: &model.OperateKeyRequestBody{KeyId: id}})
	if err != nil {
		return model.KeyDetails{}, err
	}
	return *resp.KeyInfo, nil
}

func mustDescribe(t testing.TB, c *kms.KmsClient, id string) model.KeyDetails {
	t.Helper()
	d, err := describe(c, id)
	if err != nil {
		t.Fatalf("describe-key %s: %v", id, err)
	}
	return d
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

func operate(id string) *model.OperateKeyRequestBody { return &model.OperateKeyRequestBody{KeyId: id} }

// deref returns *s, or "" for nil.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
