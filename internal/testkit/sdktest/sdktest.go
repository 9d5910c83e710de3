// Package sdktest holds the helpers of the tests that drive kmsd with the
// official Huawei Cloud Go SDK (internal/e2e, internal/cluster): building a
// client, reading the SDK's errors, and the key calls every such test needs.
// It is imported only from _test.go files.
package sdktest

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

// Timeout bounds every request of a [Client], so that a hung node fails the
// test instead of stalling it until go test's timeout.
const Timeout = 20 * time.Second

// Credential is an AK/SK credential scoped to a project.
type Credential struct {
	AK, SK, ProjectID string
}

// Client returns an official SDK KMS client that signs with cred and sends
// every request to endpoint as region regionID. It does not retry, so a dead
// node shows as an error.
func Client(t testing.TB, endpoint, regionID string, cred Credential) *kms.KmsClient {
	t.Helper()
	c, err := basic.NewCredentialsBuilder().WithAk(cred.AK).WithSk(cred.SK).WithProjectId(cred.ProjectID).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	hc, err := kms.KmsClientBuilder().WithRegion(region.NewRegion(regionID, endpoint)).WithCredential(c).
		WithHttpConfig(config.DefaultHttpConfig().WithTimeout(Timeout)).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	return kms.NewKmsClient(hc)
}

// ServiceError returns the HTTP status and KMS error code of an SDK
// service error; ok is false for nil and any other error (connection
// refused, timeout).
func ServiceError(err error) (status int, code string, ok bool) {
	var se *sdkerr.ServiceResponseError
	if !errors.As(err, &se) {
		return 0, "", false
	}
	return se.StatusCode, se.ErrorCode, true
}

// WantError fails t unless err is an SDK service error with status and
// code that carries a request id, as every kmsd error response must.
func WantError(t testing.TB, err error, status int, code string) {
	t.Helper()
	var se *sdkerr.ServiceResponseError
	if !errors.As(err, &se) {
		t.Fatalf("want HTTP %d %s, got %v", status, code, err)
	}
	if se.StatusCode != status || se.ErrorCode != code {
		t.Fatalf("want HTTP %d %s, got HTTP %d %s (%s)", status, code, se.StatusCode, se.ErrorCode, se.ErrorMessage)
	}
	if se.RequestId == "" {
		t.Errorf("error response without X-Request-Id")
	}
}

// Operate is the request body naming one key, shared by many operations.
func Operate(id string) *model.OperateKeyRequestBody { return &model.OperateKeyRequestBody{KeyId: id} }

// CreateKey creates a key of spec (nil: the default) with create-key and
// returns its id.
func CreateKey(c *kms.KmsClient, alias string, spec *model.CreateKeyRequestBodyKeySpec) (string, error) {
	resp, err := c.CreateKey(&model.CreateKeyRequest{Body: &model.CreateKeyRequestBody{KeyAlias: alias, KeySpec: spec}})
	if err != nil {
		return "", err
	}
	return *resp.KeyInfo.KeyId, nil
}

// MustCreateKey is CreateKey failing t on error.
func MustCreateKey(t testing.TB, c *kms.KmsClient, alias string, spec *model.CreateKeyRequestBodyKeySpec) string {
	t.Helper()
	id, err := CreateKey(c, alias, spec)
	if err != nil {
		t.Fatalf("create-key %s: %v", alias, err)
	}
	return id
}

// Describe returns a key's details with describe-key.
func Describe(c *kms.KmsClient, id string) (model.KeyDetails, error) {
	resp, err := c.ListKeyDetail(&model.ListKeyDetailRequest{Body: Operate(id)})
	if err != nil {
		return model.KeyDetails{}, err
	}
	return *resp.KeyInfo, nil
}

// MustDescribe is Describe failing t on error.
func MustDescribe(t testing.TB, c *kms.KmsClient, id string) model.KeyDetails {
	t.Helper()
	d, err := Describe(c, id)
	if err != nil {
		t.Fatalf("describe-key %s: %v", id, err)
	}
	return d
}
