package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	iammodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3/model"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"

	"github.com/kmsd/kmsd/internal/testkit/sdktest"
)

// listKeys calls list-keys with c.
func listKeys(c interface {
	ListKeys(*model.ListKeysRequest) (*model.ListKeysResponse, error)
}) error {
	_, err := c.ListKeys(&model.ListKeysRequest{Body: &model.ListKeysRequestBody{}})
	return err
}

// TestIAMUsersAndAccessKeys drives users and permanent access keys with the
// official IAM client: a user and its keys are created, listed, shown,
// deactivated and deleted, and each change takes effect on the next
// request; a disabled user authenticates nowhere; the last administrator
// cannot be deleted.
func TestIAMUsersAndAccessKeys(t *testing.T) {
	nd := startNode(t)
	admin := nd.iamAdmin()
	alice := newMember(t, nd, admin, "alice", "Alice-pass-1")

	users := must[*iammodel.KeystoneListUsersResponse](t)(admin.KeystoneListUsers(&iammodel.KeystoneListUsersRequest{}))
	names := map[string]bool{}
	for _, u := range *users.Users {
		names[u.Name] = u.Enabled
	}
	if !names["alice"] || !names["admin"] {
		t.Fatalf("users: %+v", *users.Users)
	}
	shown := must[*iammodel.KeystoneShowUserResponse](t)(admin.KeystoneShowUser(&iammodel.KeystoneShowUserRequest{UserId: alice.id}))
	if shown.User.Name != "alice" || !shown.User.Enabled || shown.User.DomainId != nd.n.Bootstrap.DomainID {
		t.Fatalf("show user: %+v", shown.User)
	}
	_, err := admin.KeystoneCreateUser(&iammodel.KeystoneCreateUserRequest{Body: &iammodel.KeystoneCreateUserRequestBody{
		User: &iammodel.KeystoneCreateUserOption{Name: "alice"}}})
	sdktest.WantError(t, err, 400, "1109")
	weak := "password"
	_, err = admin.KeystoneCreateUser(&iammodel.KeystoneCreateUserRequest{Body: &iammodel.KeystoneCreateUserRequestBody{
		User: &iammodel.KeystoneCreateUserOption{Name: "weak", Password: &weak}}})
	sdktest.WantError(t, err, 400, "1118")

	// A user in no group authenticates but may do nothing in KMS.
	sdktest.WantError(t, listKeys(alice.kms), 403, "KMS.0307")

	// Its own access keys: a second one, then the quota of two.
	second := must[*iammodel.CreatePermanentAccessKeyResponse](t)(alice.iam.CreatePermanentAccessKey(&iammodel.CreatePermanentAccessKeyRequest{
		Body: &iammodel.CreatePermanentAccessKeyRequestBody{Credential: &iammodel.CreateCredentialOption{UserId: alice.id}}}))
	if second.Credential.Secret == "" || second.Credential.Status != "active" {
		t.Fatalf("create access key: %+v", second.Credential)
	}
	_, err = admin.CreatePermanentAccessKey(&iammodel.CreatePermanentAccessKeyRequest{
		Body: &iammodel.CreatePermanentAccessKeyRequestBody{Credential: &iammodel.CreateCredentialOption{UserId: alice.id}}})
	sdktest.WantError(t, err, 409, "IAM.0006")
	keys := must[*iammodel.ListPermanentAccessKeysResponse](t)(admin.ListPermanentAccessKeys(&iammodel.ListPermanentAccessKeysRequest{UserId: &alice.id}))
	if len(*keys.Credentials) != 2 {
		t.Fatalf("access keys: %+v", *keys.Credentials)
	}
	key := must[*iammodel.ShowPermanentAccessKeyResponse](t)(admin.ShowPermanentAccessKey(&iammodel.ShowPermanentAccessKeyRequest{AccessKey: alice.ak}))
	if key.Credential.UserId != alice.id || key.Credential.Status != "active" {
		t.Fatalf("show access key: %+v", key.Credential)
	}
	raw, _ := json.Marshal(key)
	if strings.Contains(string(raw), alice.sk) {
		t.Fatal("show access key returned the secret key")
	}

	// Deactivated: it stops authenticating at once; reactivated, it works.
	setStatus := func(ak string, st iammodel.UpdateCredentialOptionStatus) {
		t.Helper()
		must[*iammodel.UpdatePermanentAccessKeyResponse](t)(admin.UpdatePermanentAccessKey(&iammodel.UpdatePermanentAccessKeyRequest{
			AccessKey: ak, Body: &iammodel.UpdatePermanentAccessKeyRequestBody{Credential: &iammodel.UpdateCredentialOption{Status: &st}}}))
	}
	statuses := iammodel.GetUpdateCredentialOptionStatusEnum()
	setStatus(alice.ak, statuses.INACTIVE)
	sdktest.WantError(t, listKeys(alice.kms), 401, "APIGW.0301")
	setStatus(alice.ak, statuses.ACTIVE)
	sdktest.WantError(t, listKeys(alice.kms), 403, "KMS.0307")

	// Deleted: it stops at once.
	must[*iammodel.DeletePermanentAccessKeyResponse](t)(alice.iam.DeletePermanentAccessKey(&iammodel.DeletePermanentAccessKeyRequest{AccessKey: alice.ak}))
	sdktest.WantError(t, listKeys(alice.kms), 401, "APIGW.0301")

	// Disabled: neither its other key nor its password works.
	other := nd.clientFor(second.Credential.Access, second.Credential.Secret, testProject)
	off := false
	must[*iammodel.KeystoneUpdateUserByAdminResponse](t)(admin.KeystoneUpdateUserByAdmin(&iammodel.KeystoneUpdateUserByAdminRequest{
		UserId: alice.id, Body: &iammodel.KeystoneUpdateUserByAdminRequestBody{User: &iammodel.KeystoneUpdateUserOption{Enabled: &off}}}))
	sdktest.WantError(t, listKeys(other), 401, "APIGW.0301")
	if status, _, b := nd.do("POST", "/v3/auth/tokens", loginBody("admin", "alice", "Alice-pass-1"), false, nil); status != 401 {
		t.Fatalf("login of a disabled user: %d %s", status, b)
	}

	// UpdateUser (v3.0) renames and re-enables; fields kmsd does not keep are refused.
	on, renamed := true, "alice2"
	upd := must[*iammodel.UpdateUserResponse](t)(admin.UpdateUser(&iammodel.UpdateUserRequest{UserId: alice.id,
		Body: &iammodel.UpdateUserRequestBody{User: &iammodel.UpdateUserOption{Name: &renamed, Enabled: &on}}}))
	if upd.User.Name != "alice2" || !upd.User.Enabled {
		t.Fatalf("UpdateUser: %+v", upd.User)
	}
	if err := listKeys(other); err == nil || !strings.Contains(err.Error(), "KMS.0307") {
		t.Fatalf("re-enabled user: %v, want 403 KMS.0307 (authenticated, no permissions)", err)
	}
	email := "a@example.com"
	_, err = admin.UpdateUser(&iammodel.UpdateUserRequest{UserId: alice.id,
		Body: &iammodel.UpdateUserRequestBody{User: &iammodel.UpdateUserOption{Email: &email}}})
	sdktest.WantError(t, err, 400, "IAM.0007")

	must[*iammodel.KeystoneDeleteUserResponse](t)(admin.KeystoneDeleteUser(&iammodel.KeystoneDeleteUserRequest{UserId: alice.id}))
	_, err = admin.KeystoneShowUser(&iammodel.KeystoneShowUserRequest{UserId: alice.id})
	sdktest.WantError(t, err, 404, "IAM.0004")
	sdktest.WantError(t, listKeys(other), 401, "APIGW.0301")

	// The bootstrap administrator is the last member of the admin group.
	self := must[*iammodel.KeystoneListUsersResponse](t)(admin.KeystoneListUsers(&iammodel.KeystoneListUsersRequest{Name: ptr("admin")}))
	_, err = admin.KeystoneDeleteUser(&iammodel.KeystoneDeleteUserRequest{UserId: (*self.Users)[0].Id})
	sdktest.WantError(t, err, 400, "1107")
}
