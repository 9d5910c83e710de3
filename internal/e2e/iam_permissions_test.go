package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	iammodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3/model"
	kms "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2"

	"github.com/kmsd/kmsd/internal/config"
	"github.com/kmsd/kmsd/internal/testkit/sdktest"
)

func encryptErr(t *testing.T, c *kms.KmsClient, id string) error {
	_, err := c.EncryptData(encryptReq(t, id, "aGVsbG8=", "", nil))
	return err
}

func describeErr(c *kms.KmsClient, id string) error {
	_, err := sdktest.Describe(c, id)
	return err
}

// TestIAMPermissionsEnforced drives the IAM and KMS clients together: a
// read-only user lists and describes but may not create keys or encrypt;
// a crypto user encrypts and decrypts with exactly the key its custom
// policy names; a Deny from one group wins over an Allow from another;
// taking a permission away or a user out of a group takes effect on the
// next request.
func TestIAMPermissionsEnforced(t *testing.T) {
	nd := startNode(t)
	admin := nd.iamAdmin()
	k1 := sdktest.MustCreateKey(t, nd.client(), "perm-k1", nil)
	k2 := sdktest.MustCreateKey(t, nd.client(), "perm-k2", nil)

	ro := newMember(t, nd, admin, "reader", "")
	crypto := newMember(t, nd, admin, "crypto", "")
	mixed := newMember(t, nd, admin, "mixed", "")

	readers := newGroup(t, admin, "readers", ro)
	readOnly := roleID(t, admin, "KMS CMKReadOnlyAccess")
	grantOnProject(t, admin, readers, readOnly)

	cryptoGroup := newGroup(t, admin, "crypto", crypto)
	grantOnProject(t, admin, cryptoGroup, customPolicy(t, admin, "k1 crypto",
		allow([]string{"kms:cmk:encrypt*", "kms:cmk:decrypt*"}, "KMS:*:*:KeyId:"+k1)))

	full := newGroup(t, admin, "full", mixed)
	grantOnDomain(t, nd, admin, full, roleID(t, admin, "KMS CMKFullAccess"))
	deniers := newGroup(t, admin, "deniers", mixed)
	denyEncrypt := customPolicy(t, admin, "no encrypt", deny([]string{"kms:cmk:encryptData"}))
	grantOnDomain(t, nd, admin, deniers, denyEncrypt)

	// Read-only.
	if err := listKeys(ro.kms); err != nil {
		t.Fatalf("read-only list-keys: %v", err)
	}
	if err := describeErr(ro.kms, k1); err != nil {
		t.Fatalf("read-only describe-key: %v", err)
	}
	_, err := sdktest.CreateKey(ro.kms, "ro-key", nil)
	sdktest.WantError(t, err, 403, "KMS.0307")
	sdktest.WantError(t, encryptErr(t, ro.kms, k1), 403, "KMS.0307")

	// Crypto on k1 only.
	ct := encryptOK(t, crypto.kms, k1, "aGVsbG8=", "", nil)
	decryptOK(t, crypto.kms, ct, k1, "", nil, "aGVsbG8=", k1)
	sdktest.WantError(t, encryptErr(t, crypto.kms, k2), 403, "KMS.0307")
	_, err = sdktest.CreateKey(crypto.kms, "crypto-key", nil)
	sdktest.WantError(t, err, 403, "KMS.0307")
	sdktest.WantError(t, describeErr(crypto.kms, k1), 403, "KMS.0307")

	// A Deny from one group wins over full access from another.
	sdktest.WantError(t, encryptErr(t, mixed.kms, k1), 403, "KMS.0307")
	if err := describeErr(mixed.kms, k1); err != nil {
		t.Fatalf("full access describe-key: %v", err)
	}
	decryptOK(t, mixed.kms, ct, k1, "", nil, "aGVsbG8=", k1)

	// The check and list calls see the grants.
	must[*iammodel.KeystoneCheckProjectPermissionForGroupResponse](t)(admin.KeystoneCheckProjectPermissionForGroup(
		&iammodel.KeystoneCheckProjectPermissionForGroupRequest{ProjectId: testProject, GroupId: readers, RoleId: readOnly}))
	_, err = admin.KeystoneCheckProjectPermissionForGroup(&iammodel.KeystoneCheckProjectPermissionForGroupRequest{
		ProjectId: testProject, GroupId: readers, RoleId: denyEncrypt})
	sdktest.WantError(t, err, 404, "")
	pr := must[*iammodel.KeystoneListProjectPermissionsForGroupResponse](t)(admin.KeystoneListProjectPermissionsForGroup(
		&iammodel.KeystoneListProjectPermissionsForGroupRequest{ProjectId: testProject, GroupId: readers}))
	if len(*pr.Roles) != 1 || *(*pr.Roles)[0].DisplayName != "KMS CMKReadOnlyAccess" {
		t.Fatalf("project permissions of readers: %+v", *pr.Roles)
	}
	dr := must[*iammodel.KeystoneListDomainPermissionsForGroupResponse](t)(admin.KeystoneListDomainPermissionsForGroup(
		&iammodel.KeystoneListDomainPermissionsForGroupRequest{DomainId: nd.n.Bootstrap.DomainID, GroupId: deniers}))
	if len(*dr.Roles) != 1 || (*dr.Roles)[0].Id != denyEncrypt {
		t.Fatalf("domain permissions of deniers: %+v", *dr.Roles)
	}
	must[*iammodel.KeystoneCheckDomainPermissionForGroupResponse](t)(admin.KeystoneCheckDomainPermissionForGroup(
		&iammodel.KeystoneCheckDomainPermissionForGroupRequest{DomainId: nd.n.Bootstrap.DomainID, GroupId: deniers, RoleId: denyEncrypt}))

	// Taking the Deny away lets mixed encrypt on its next request.
	must[*iammodel.KeystoneRemoveDomainPermissionFromGroupResponse](t)(admin.KeystoneRemoveDomainPermissionFromGroup(
		&iammodel.KeystoneRemoveDomainPermissionFromGroupRequest{DomainId: nd.n.Bootstrap.DomainID, GroupId: deniers, RoleId: denyEncrypt}))
	encryptOK(t, mixed.kms, k1, "aGVsbG8=", "", nil)
	// Taking read-only away from readers leaves ro with nothing.
	must[*iammodel.KeystoneRemoveProjectPermissionFromGroupResponse](t)(admin.KeystoneRemoveProjectPermissionFromGroup(
		&iammodel.KeystoneRemoveProjectPermissionFromGroupRequest{ProjectId: testProject, GroupId: readers, RoleId: readOnly}))
	sdktest.WantError(t, listKeys(ro.kms), 403, "KMS.0307")
	// So does taking crypto out of its group.
	must[*iammodel.KeystoneRemoveUserFromGroupResponse](t)(admin.KeystoneRemoveUserFromGroup(
		&iammodel.KeystoneRemoveUserFromGroupRequest{GroupId: cryptoGroup, UserId: crypto.id}))
	sdktest.WantError(t, encryptErr(t, crypto.kms, k1), 403, "KMS.0307")
	_, err = admin.KeystoneCheckUserInGroup(&iammodel.KeystoneCheckUserInGroupRequest{GroupId: cryptoGroup, UserId: crypto.id})
	sdktest.WantError(t, err, 404, "")
}

// TestIAMGroupsAndAdministration: the admin group holds the bootstrap user
// and may not be deleted; groups are listed, checked, listed with their
// users and deleted; a user outside the admin group may manage its own
// access keys and nothing else of IAM.
func TestIAMGroupsAndAdministration(t *testing.T) {
	nd := startNode(t)
	admin := nd.iamAdmin()
	bob := newMember(t, nd, admin, "bob", "")
	ops := newGroup(t, admin, "ops", bob)

	groups := must[*iammodel.KeystoneListGroupsResponse](t)(admin.KeystoneListGroups(&iammodel.KeystoneListGroupsRequest{}))
	byName := map[string]string{}
	for _, g := range *groups.Groups {
		byName[g.Name] = g.Id
	}
	if byName["admin"] == "" || byName["ops"] != ops {
		t.Fatalf("groups: %+v", *groups.Groups)
	}
	must[*iammodel.KeystoneCheckUserInGroupResponse](t)(admin.KeystoneCheckUserInGroup(&iammodel.KeystoneCheckUserInGroupRequest{
		GroupId: ops, UserId: bob.id}))
	members := must[*iammodel.KeystoneListUsersForGroupByAdminResponse](t)(admin.KeystoneListUsersForGroupByAdmin(
		&iammodel.KeystoneListUsersForGroupByAdminRequest{GroupId: byName["admin"]}))
	if len(*members.Users) != 1 || (*members.Users)[0].Name != "admin" {
		t.Fatalf("admin group members: %+v", *members.Users)
	}
	_, err := admin.KeystoneDeleteGroup(&iammodel.KeystoneDeleteGroupRequest{GroupId: byName["admin"]})
	sdktest.WantError(t, err, 400, "IAM.0008")

	// Bob may manage his own keys, not other users.
	own := must[*iammodel.ListPermanentAccessKeysResponse](t)(bob.iam.ListPermanentAccessKeys(&iammodel.ListPermanentAccessKeysRequest{}))
	if len(*own.Credentials) != 1 || (*own.Credentials)[0].Access != bob.ak {
		t.Fatalf("bob's own keys: %+v", *own.Credentials)
	}
	_, err = bob.iam.KeystoneCreateUser(&iammodel.KeystoneCreateUserRequest{Body: &iammodel.KeystoneCreateUserRequestBody{
		User: &iammodel.KeystoneCreateUserOption{Name: "mallory"}}})
	sdktest.WantError(t, err, 403, "IAM.0002")
	_, err = bob.iam.KeystoneAddUserToGroup(&iammodel.KeystoneAddUserToGroupRequest{GroupId: byName["admin"], UserId: bob.id})
	sdktest.WantError(t, err, 403, "IAM.0002")
	_, err = bob.iam.KeystoneListPermissions(&iammodel.KeystoneListPermissionsRequest{})
	sdktest.WantError(t, err, 403, "IAM.0002")

	// In the admin group, bob may do everything, KMS included.
	must[*iammodel.KeystoneAddUserToGroupResponse](t)(admin.KeystoneAddUserToGroup(&iammodel.KeystoneAddUserToGroupRequest{
		GroupId: byName["admin"], UserId: bob.id}))
	sdktest.MustCreateKey(t, bob.kms, "bob-key", nil)
	must[*iammodel.KeystoneDeleteGroupResponse](t)(bob.iam.KeystoneDeleteGroup(&iammodel.KeystoneDeleteGroupRequest{GroupId: ops}))
	_, err = admin.KeystoneCheckUserInGroup(&iammodel.KeystoneCheckUserInGroupRequest{GroupId: ops, UserId: bob.id})
	sdktest.WantError(t, err, 404, "") // HEAD: no body
}

// TestIAMPasswordChangeRevokesTokens: a user's token works until the user
// changes its password (KeystoneUpdateUserPassword), then it is refused,
// while a token from the new password works.
func TestIAMPasswordChangeRevokesTokens(t *testing.T) {
	nd := startNode(t)
	admin := nd.iamAdmin()
	carol := newMember(t, nd, admin, "carol", "Carol-pass-1")
	grantOnProject(t, admin, newGroup(t, admin, "readers", carol), roleID(t, admin, "KMS CMKReadOnlyAccess"))

	token := func(pw string) string {
		t.Helper()
		status, h, b := nd.do("POST", "/v3/auth/tokens", loginBody("admin", "carol", pw), false, nil)
		if status != 201 {
			t.Fatalf("login: %d %s", status, b)
		}
		return h.Get("X-Subject-Token")
	}
	listWith := func(tok string) int {
		t.Helper()
		status, _, _ := nd.do("POST", kmsPath("list-keys"), "{}", false, map[string]string{"X-Auth-Token": tok})
		return status
	}
	old := token("Carol-pass-1")
	if s := listWith(old); s != 200 {
		t.Fatalf("list-keys with a fresh token: %d", s)
	}
	validate := func(tok string) (int, string) {
		t.Helper()
		status, _, b := nd.do("GET", "/v3/auth/tokens", "", true, map[string]string{"X-Subject-Token": tok})
		return status, b
	}
	if status, b := validate(old); status != 200 || !strings.Contains(b, `"kms_cmk_read_only_access"`) {
		t.Fatalf("validate carol's token: %d %s", status, b)
	}
	_, err := carol.iam.KeystoneUpdateUserPassword(&iammodel.KeystoneUpdateUserPasswordRequest{UserId: carol.id,
		Body: &iammodel.KeystoneUpdateUserPasswordRequestBody{User: &iammodel.KeystoneUpdatePasswordOption{
			Password: "Carol-pass-2", OriginalPassword: "wrong-Pass-0"}}})
	sdktest.WantError(t, err, 400, "1103")
	must[*iammodel.KeystoneUpdateUserPasswordResponse](t)(carol.iam.KeystoneUpdateUserPassword(&iammodel.KeystoneUpdateUserPasswordRequest{
		UserId: carol.id, Body: &iammodel.KeystoneUpdateUserPasswordRequestBody{User: &iammodel.KeystoneUpdatePasswordOption{
			Password: "Carol-pass-2", OriginalPassword: "Carol-pass-1"}}}))
	if s := listWith(old); s != 401 {
		t.Fatalf("list-keys with a token from the old password: %d, want 401", s)
	}
	if status, b := validate(old); status != 401 {
		t.Fatalf("validate a token from the old password: %d %s, want 401", status, b)
	}
	if s := listWith(token("Carol-pass-2")); s != 200 {
		t.Fatalf("list-keys with a token from the new password: %d", s)
	}
}

// TestTokenLifetimeSetting: token_ttl sets how long issued tokens last.
func TestTokenLifetimeSetting(t *testing.T) {
	nd := startNode(t, func(c *config.Config) { c.TokenTTL = 15 * time.Minute })
	status, _, b := nd.do("POST", "/v3/auth/tokens", tokenBody(testRegion, testPass), false, nil)
	if status != 201 {
		t.Fatalf("login: %d %s", status, b)
	}
	var resp struct {
		Token struct {
			IssuedAt  time.Time `json:"issued_at"`
			ExpiresAt time.Time `json:"expires_at"`
		} `json:"token"`
	}
	if err := json.Unmarshal([]byte(b), &resp); err != nil {
		t.Fatal(err)
	}
	if d := resp.Token.ExpiresAt.Sub(resp.Token.IssuedAt); d != 15*time.Minute {
		t.Fatalf("token lifetime %v, want 15m", d)
	}
}
