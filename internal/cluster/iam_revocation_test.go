package cluster

import (
	"fmt"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/global"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/region"
	iam "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3"
	iammodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3/model"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"

	"github.com/kmsd/kmsd/internal/testkit/sdktest"
)

// iamClient returns the official IAM client for the bootstrap credential,
// talking to p (the domain id is discovered).
func (p *proc) iamClient(t *testing.T) *iam.IamClient {
	t.Helper()
	cred, err := global.NewCredentialsBuilder().WithAk(testAK).WithSk(testSK).WithIamEndpointOverride(p.url).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	hc, err := iam.IamClientBuilder().WithRegion(region.NewRegion(testRegion, p.url)).WithCredential(cred).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	return iam.NewIamClient(hc)
}

// TestIAMRevocationAcrossNodes changes an identity through node A's IAM
// API while node B has it cached (PostgreSQL, separate processes), and
// checks that B refuses the next requests within the invalidation bound:
// a deleted access key, a deactivated one, a disabled user, and a user
// taken out of the group that gave it its permissions. The observed
// staleness is logged.
func TestIAMRevocationAcrossNodes(t *testing.T) {
	c := startCluster(t, 2)
	a, b := c.nodes[0], c.nodes[1]
	admin := a.iamClient(t)
	groups := mustDo[*iammodel.KeystoneListGroupsResponse](t)(admin.KeystoneListGroups(&iammodel.KeystoneListGroupsRequest{Name: ptr("admin")}))
	adminGroup := (*groups.Groups)[0].Id
	statuses := iammodel.GetUpdateCredentialOptionStatusEnum()

	cases := []struct {
		name   string
		change func(userID, ak string) error
		status int
		code   string
	}{
		{"delete access key", func(_, ak string) error {
			_, err := admin.DeletePermanentAccessKey(&iammodel.DeletePermanentAccessKeyRequest{AccessKey: ak})
			return err
		}, 401, "APIGW.0301"},
		{"deactivate access key", func(_, ak string) error {
			st := statuses.INACTIVE
			_, err := admin.UpdatePermanentAccessKey(&iammodel.UpdatePermanentAccessKeyRequest{AccessKey: ak,
				Body: &iammodel.UpdatePermanentAccessKeyRequestBody{Credential: &iammodel.UpdateCredentialOption{Status: &st}}})
			return err
		}, 401, "APIGW.0301"},
		{"disable user", func(userID, _ string) error {
			off := false
			_, err := admin.KeystoneUpdateUserByAdmin(&iammodel.KeystoneUpdateUserByAdminRequest{UserId: userID,
				Body: &iammodel.KeystoneUpdateUserByAdminRequestBody{User: &iammodel.KeystoneUpdateUserOption{Enabled: &off}}})
			return err
		}, 401, "APIGW.0301"},
		{"remove from group", func(userID, _ string) error {
			_, err := admin.KeystoneRemoveUserFromGroup(&iammodel.KeystoneRemoveUserFromGroupRequest{GroupId: adminGroup, UserId: userID})
			return err
		}, 403, "KMS.0307"},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u := mustDo[*iammodel.KeystoneCreateUserResponse](t)(admin.KeystoneCreateUser(&iammodel.KeystoneCreateUserRequest{Body: &iammodel.KeystoneCreateUserRequestBody{
				User: &iammodel.KeystoneCreateUserOption{Name: fmt.Sprintf("revoked-%d", i)}}}))
			mustDo[*iammodel.KeystoneAddUserToGroupResponse](t)(admin.KeystoneAddUserToGroup(&iammodel.KeystoneAddUserToGroupRequest{GroupId: adminGroup, UserId: u.User.Id}))
			k := mustDo[*iammodel.CreatePermanentAccessKeyResponse](t)(admin.CreatePermanentAccessKey(&iammodel.CreatePermanentAccessKeyRequest{Body: &iammodel.CreatePermanentAccessKeyRequestBody{
				Credential: &iammodel.CreateCredentialOption{UserId: u.User.Id}}}))
			onB := b.clientAs(t, k.Credential.Access, k.Credential.Secret, testProject)
			if err := listKeysOn(onB); err != nil { // B caches the key, the user and its policies
				t.Fatalf("list-keys on B before the change: %v", err)
			}
			if err := tc.change(u.User.Id, k.Credential.Access); err != nil {
				t.Fatalf("%s on A: %v", tc.name, err)
			}
			ack := time.Now()
			lastServed := time.Duration(-1)
			for {
				start := time.Now()
				err := listKeysOn(onB)
				if err == nil {
					lastServed = start.Sub(ack)
					if lastServed > invalidationBound {
						t.Fatalf("B still serves %v after the change, beyond the %v bound", lastServed, invalidationBound)
					}
					continue
				}
				sdktest.WantError(t, err, tc.status, tc.code)
				break
			}
			t.Logf("%s: B last served %v after A acknowledged, refused %v after (bound %v)", tc.name, lastServed,
				time.Since(ack), invalidationBound)
		})
	}
}

func listKeysOn(c *kmsClient) error {
	_, err := c.ListKeys(&model.ListKeysRequest{Body: &model.ListKeysRequestBody{}})
	return err
}

// mustDo fails the test on an error and returns the response.
func mustDo[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func ptr[T any](v T) *T { return &v }
