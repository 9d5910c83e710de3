package e2e

import (
	"testing"

	iam "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3"
	iammodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3/model"
	kms "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2"
)

// iamAdmin is the bootstrap administrator's IAM client, with global
// credentials naming the account.
func (nd *node) iamAdmin() *iam.IamClient {
	return nd.iamClientFor(testAK, testSK, nd.n.Bootstrap.DomainID)
}

// member is an IAM user made through the IAM API, with one access key.
type member struct {
	id, name, ak, sk string
	kms              *kms.KmsClient
	iam              *iam.IamClient
}

// newMember creates user name (password pw, or none) and an access key for
// it through the admin's IAM client.
func newMember(t *testing.T, nd *node, admin *iam.IamClient, name, pw string) member {
	t.Helper()
	opt := &iammodel.KeystoneCreateUserOption{Name: name}
	if pw != "" {
		opt.Password = &pw
	}
	u := must[*iammodel.KeystoneCreateUserResponse](t)(admin.KeystoneCreateUser(&iammodel.KeystoneCreateUserRequest{
		Body: &iammodel.KeystoneCreateUserRequestBody{User: opt}}))
	key := must[*iammodel.CreatePermanentAccessKeyResponse](t)(admin.CreatePermanentAccessKey(&iammodel.CreatePermanentAccessKeyRequest{
		Body: &iammodel.CreatePermanentAccessKeyRequestBody{Credential: &iammodel.CreateCredentialOption{UserId: u.User.Id}}}))
	m := member{id: u.User.Id, name: name, ak: key.Credential.Access, sk: key.Credential.Secret}
	m.kms = nd.clientFor(m.ak, m.sk, testProject)
	m.iam = nd.iamClientFor(m.ak, m.sk, nd.n.Bootstrap.DomainID)
	return m
}

// newGroup creates a group holding members.
func newGroup(t *testing.T, admin *iam.IamClient, name string, members ...member) string {
	t.Helper()
	g := must[*iammodel.KeystoneCreateGroupResponse](t)(admin.KeystoneCreateGroup(&iammodel.KeystoneCreateGroupRequest{
		Body: &iammodel.KeystoneCreateGroupRequestBody{Group: &iammodel.KeystoneCreateGroupOption{Name: name}}}))
	for _, m := range members {
		must[*iammodel.KeystoneAddUserToGroupResponse](t)(admin.KeystoneAddUserToGroup(&iammodel.KeystoneAddUserToGroupRequest{
			GroupId: g.Group.Id, UserId: m.id}))
	}
	return g.Group.Id
}

// roleID finds a role or policy by display name with KeystoneListPermissions.
func roleID(t *testing.T, admin *iam.IamClient, display string) string {
	t.Helper()
	rs := must[*iammodel.KeystoneListPermissionsResponse](t)(admin.KeystoneListPermissions(&iammodel.KeystoneListPermissionsRequest{
		DisplayName: &display}))
	if rs.Roles == nil || len(*rs.Roles) != 1 {
		t.Fatalf("roles named %q: %+v", display, rs.Roles)
	}
	return (*rs.Roles)[0].Id
}

// customPolicy creates a custom policy of statements and returns its id.
func customPolicy(t *testing.T, admin *iam.IamClient, display string, st ...iammodel.ServiceStatement) string {
	t.Helper()
	r := must[*iammodel.CreateCloudServiceCustomPolicyResponse](t)(admin.CreateCloudServiceCustomPolicy(&iammodel.CreateCloudServiceCustomPolicyRequest{
		Body: &iammodel.CreateCloudServiceCustomPolicyRequestBody{Role: &iammodel.ServicePolicyRoleOption{
			DisplayName: display, Type: "XA", Description: display,
			Policy: &iammodel.ServicePolicy{Version: "1.1", Statement: st}}}}))
	return r.Role.Id
}

func allow(actions []string, resources ...string) iammodel.ServiceStatement {
	return statement(iammodel.GetServiceStatementEffectEnum().ALLOW, actions, resources)
}

func deny(actions []string, resources ...string) iammodel.ServiceStatement {
	return statement(iammodel.GetServiceStatementEffectEnum().DENY, actions, resources)
}

func statement(e iammodel.ServiceStatementEffect, actions, resources []string) iammodel.ServiceStatement {
	st := iammodel.ServiceStatement{Effect: e, Action: actions}
	if len(resources) > 0 {
		st.Resource = &resources
	}
	return st
}

// grantOnProject grants a role to a group on the test project.
func grantOnProject(t *testing.T, admin *iam.IamClient, group, role string) {
	t.Helper()
	must[*iammodel.KeystoneAssociateGroupWithProjectPermissionResponse](t)(admin.KeystoneAssociateGroupWithProjectPermission(
		&iammodel.KeystoneAssociateGroupWithProjectPermissionRequest{ProjectId: testProject, GroupId: group, RoleId: role}))
}

// grantOnDomain grants a role to a group on the whole account.
func grantOnDomain(t *testing.T, nd *node, admin *iam.IamClient, group, role string) {
	t.Helper()
	must[*iammodel.KeystoneAssociateGroupWithDomainPermissionResponse](t)(admin.KeystoneAssociateGroupWithDomainPermission(
		&iammodel.KeystoneAssociateGroupWithDomainPermissionRequest{DomainId: nd.n.Bootstrap.DomainID, GroupId: group, RoleId: role}))
}
