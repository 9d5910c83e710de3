package e2e

import (
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/global"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/region"
	iam "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3"
	iammodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3/model"
)

// iamClient returns the official IAM client for the bootstrap credential.
// Without a domain id the SDK discovers it with GET /v3/auth/domains.
func (nd *node) iamClient() *iam.IamClient { return nd.iamClientFor(testAK, testSK, "") }

// iamClientFor returns the official IAM client for an access key, with
// global credentials naming domainID (discovered when empty).
func (nd *node) iamClientFor(ak, sk, domainID string) *iam.IamClient {
	nd.t.Helper()
	b := global.NewCredentialsBuilder().WithAk(ak).WithSk(sk).WithIamEndpointOverride(nd.url)
	if domainID != "" {
		b = b.WithDomainId(domainID)
	}
	cred, err := b.SafeBuild()
	if err != nil {
		nd.t.Fatal(err)
	}
	hc, err := iam.IamClientBuilder().WithRegion(region.NewRegion(testRegion, nd.url)).WithCredential(cred).SafeBuild()
	if err != nil {
		nd.t.Fatalf("IAM client (domain discovery): %v", err)
	}
	return iam.NewIamClient(hc)
}

// TestIAMDiscoveryWithTheIAMClient drives the identity operations with the
// official IAM client: the account, the projects by name, the projects
// the credential may use.
func TestIAMDiscoveryWithTheIAMClient(t *testing.T) {
	nd := startNode(t)
	c := nd.iamClient()
	domains := must[*iammodel.KeystoneListAuthDomainsResponse](t)(c.KeystoneListAuthDomains(&iammodel.KeystoneListAuthDomainsRequest{}))
	if domains.Domains == nil || len(*domains.Domains) != 1 || (*domains.Domains)[0].Name != "admin" {
		t.Fatalf("domains: %+v", domains.Domains)
	}
	name := testRegion
	projects := must[*iammodel.KeystoneListProjectsResponse](t)(c.KeystoneListProjects(&iammodel.KeystoneListProjectsRequest{Name: &name}))
	if projects.Projects == nil || len(*projects.Projects) != 1 || (*projects.Projects)[0].Id != testProject {
		t.Fatalf("projects named %s: %+v", name, projects.Projects)
	}
	auth := must[*iammodel.KeystoneListAuthProjectsResponse](t)(c.KeystoneListAuthProjects(&iammodel.KeystoneListAuthProjectsRequest{}))
	found := false
	for _, p := range *auth.Projects {
		found = found || p.Id == testProject
	}
	if !found {
		t.Fatalf("auth projects lack %s: %+v", testProject, auth.Projects)
	}
}
