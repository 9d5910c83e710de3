package e2e

import (
	"testing"
	"time"

	kms "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"
)

const (
	region2Project = "2a1b2c3d4e5f60718293a4b5c6d7e8f9"
	region3Project = "3a1b2c3d4e5f60718293a4b5c6d7e8f9"
	scopedAK       = "SCOPEDACCESSKEY00000"
	scopedSK       = "ScopedSecretKey0123456789abcdefghijklmno"
)

// regionsSeed gives the bootstrap account regions local-2 and local-3, a
// credential limited to local-1, and another account whose region must not
// be listed.
const regionsSeed = `
accounts:
  - name: admin
    projects:
      - name: local-1
      - name: local-2
        id: ` + region2Project + `
      - name: local-3
        id: ` + region3Project + `
    users:
      - name: scoped
        password: "scoped password 1234"
        credentials:
          - access_key: ` + scopedAK + `
            secret_key: ` + scopedSK + `
            projects: [local-1]
  - name: other-acct
    projects:
      - name: local-9
`

func listRegions(c *kms.KmsClient, limit, offset *int32) ([]string, error) {
	resp, err := c.ListSupportRegions(&model.ListSupportRegionsRequest{Limit: limit, Offset: offset})
	if err != nil {
		return nil, err
	}
	return *resp.Regions, nil
}

func replicate(c *kms.KmsClient, id, region, project, alias string) (*model.ReplicateKeyResponse, error) {
	return c.ReplicateKey(&model.ReplicateKeyRequest{KeyId: id, Body: &model.ReplicateKeyRequestBody{
		KeyId: id, ReplicaRegion: region, ReplicaProjectId: project, KeyAlias: alias}})
}

func TestListSupportRegions(t *testing.T) {
	nd := startNode(t, withSeed(t, regionsSeed))
	c := nd.client()
	for name, tc := range map[string]struct {
		limit, offset *int32
		want          []string
	}{
		"default":         {nil, nil, []string{"local-2", "local-3"}},
		"limit 1":         {ptr[int32](1), nil, []string{"local-2"}},
		"offset 1":        {ptr[int32](100), ptr[int32](1), []string{"local-3"}},
		"limit 0":         {ptr[int32](0), nil, []string{}},
		"offset past end": {nil, ptr[int32](5), []string{}},
	} {
		t.Run(name, func(t *testing.T) {
			got := must[[]string](t)(listRegions(c, tc.limit, tc.offset))
			if len(got) != len(tc.want) || (len(got) > 0 && got[0] != tc.want[0]) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	_, err := listRegions(c, ptr[int32](101), nil)
	wantErr(t, err, 400, "KMS.1601")
	_, err = listRegions(c, nil, ptr[int32](-1))
	wantErr(t, err, 400, "KMS.1603")
	got := must[[]string](t)(listRegions(nd.clientFor(testAK, testSK, region2Project), nil, nil))
	if len(got) != 2 || got[0] != "local-1" || got[1] != "local-3" {
		t.Fatalf("regions seen from local-2: %v", got)
	}
}

// TestReplicateKey replicates a key and decrypts across regions both ways.
func TestReplicateKey(t *testing.T) {
	nd := startNode(t, withSeed(t, regionsSeed))
	c1, c2 := nd.client(), nd.clientFor(testAK, testSK, region2Project)
	id := createKey(t, c1, "mrk", nil)
	before := encryptOK(t, c1, id, "hello", "", nil)
	resp := must[*model.ReplicateKeyResponse](t)(c1.ReplicateKey(&model.ReplicateKeyRequest{KeyId: id,
		Body: &model.ReplicateKeyRequestBody{KeyId: id, ReplicaRegion: "local-2", ReplicaProjectId: region2Project,
			KeyAlias: "mrk-replica", KeyDescription: ptr("copy"), Tags: &[]model.TagItem{{Key: "env", Value: ptr("prod")}}}}))
	rid := *resp.KeyId
	if rid == id || *resp.Region != "local-2" || *resp.DomainId == "" {
		t.Fatalf("replicate-key response %+v", resp)
	}
	d := describe(t, c2, rid)
	if *d.KeyAlias != "mrk-replica" || *d.KeyDescription != "copy" || *d.KeyState != "2" {
		t.Fatalf("replica %+v", d)
	}
	tags := must[*model.ShowKmsTagsResponse](t)(c2.ShowKmsTags(&model.ShowKmsTagsRequest{KeyId: rid}))
	if len(*tags.Tags) != 1 || (*tags.Tags)[0].Key != "env" {
		t.Fatalf("replica tags %+v", tags.Tags)
	}
	decryptOK(t, c2, before, rid, "", nil, "hello", rid)
	after := encryptOK(t, c2, rid, "world", "", nil)
	decryptOK(t, c1, after, id, "", nil, "world", id)
	_, err := c1.DecryptData(decryptReq(t, after, "", "", nil)) // the envelope names another project's key
	wantErr(t, err, 404, "KMS.0207")
}

// TestReplicaOutlivesPrimary deletes a primary: its replica keeps working,
// stands alone, and can be replicated again.
func TestReplicaOutlivesPrimary(t *testing.T) {
	nd := startNode(t, withSeed(t, regionsSeed))
	c1, c2 := nd.client(), nd.clientFor(testAK, testSK, region2Project)
	id := createKey(t, c1, "mrk", nil)
	ct := encryptOK(t, c1, id, "kept", "", nil)
	rid := *must[*model.ReplicateKeyResponse](t)(replicate(c1, id, "local-2", region2Project, "mrk")).KeyId
	_, err := replicate(c2, rid, "local-3", region3Project, "mrk")
	wantErr(t, err, 400, "KMS.0106")

	must[*model.DeleteKeyResponse](t)(scheduleDeletion(c1, id, "7"))
	nd.clock.Advance(8 * 24 * time.Hour)
	nd.runJobs()
	decryptOK(t, c2, ct, rid, "", nil, "kept", rid)
	r3 := *must[*model.ReplicateKeyResponse](t)(replicate(c2, rid, "local-3", region3Project, "mrk")).KeyId
	decryptOK(t, nd.clientFor(testAK, testSK, region3Project), ct, r3, "", nil, "kept", r3)
}
