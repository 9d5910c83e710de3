package e2e

import (
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"
)

// TestReplicateKeyRefusals checks every refusal of replicate-key.
func TestReplicateKeyRefusals(t *testing.T) {
	nd := startNode(t, withSeed(t, regionsSeed))
	c1, c2 := nd.client(), nd.clientFor(testAK, testSK, region2Project)
	id := createKey(t, c1, "src", nil)
	rsa := newCryptoKey(t, c1, "rsa", "RSA_2048", "ENCRYPT_DECRYPT")
	hmac := newCryptoKey(t, c1, "hmac", "HMAC_256", "")
	off := createKey(t, c1, "off", nil)
	must[*model.DisableKeyResponse](t)(c1.DisableKey(&model.DisableKeyRequest{Body: operate(off)}))
	ext := must[*model.CreateKeyResponse](t)(c1.CreateKey(&model.CreateKeyRequest{Body: &model.CreateKeyRequestBody{
		KeyAlias: "ext", Origin: enumOf[model.CreateKeyRequestBodyOrigin](t, "external")}}))
	createKey(t, c2, "taken", nil)
	rid := *must[*model.ReplicateKeyResponse](t)(replicate(c1, id, "local-2", region2Project, "replica")).KeyId
	const unknown = "0d0466b0-e727-4d9c-b35d-f84bb474a37f"

	for name, tc := range map[string]struct {
		call   func() error
		status int
		code   string
	}{
		"same region":    {func() error { _, err := replicate(c1, id, "local-1", testProject, "a"); return err }, 400, "KMS.0308"},
		"unknown region": {func() error { _, err := replicate(c1, id, "local-9", region2Project, "a"); return err }, 400, "KMS.0308"},
		"wrong project":  {func() error { _, err := replicate(c1, id, "local-3", region2Project, "a"); return err }, 400, "KMS.0308"},
		"already there":  {func() error { _, err := replicate(c1, id, "local-2", region2Project, "a"); return err }, 400, "KMS.0308"},
		"alias taken":    {func() error { _, err := replicate(c1, off, "local-2", region2Project, "taken"); return err }, 400, "KMS.0209"},
		"alias in target": {func() error {
			_, err := replicate(c1, createKey(t, c1, "x", nil), "local-2", region2Project, "taken")
			return err
		}, 400, "KMS.1104"},
		"bad alias":     {func() error { _, err := replicate(c1, id, "local-3", region3Project, "a b"); return err }, 400, "KMS.1101"},
		"of a replica":  {func() error { _, err := replicate(c2, rid, "local-3", region3Project, "a"); return err }, 400, "KMS.0106"},
		"asymmetric":    {func() error { _, err := replicate(c1, rsa, "local-3", region3Project, "a"); return err }, 400, "KMS.0325"},
		"hmac":          {func() error { _, err := replicate(c1, hmac, "local-3", region3Project, "a"); return err }, 400, "KMS.0341"},
		"external":      {func() error { _, err := replicate(c1, *ext.KeyInfo.KeyId, "local-3", region3Project, "a"); return err }, 400, "KMS.0308"},
		"unknown key":   {func() error { _, err := replicate(c1, unknown, "local-3", region3Project, "a"); return err }, 404, "KMS.0207"},
		"not the owner": {func() error { _, err := replicate(c2, id, "local-3", region3Project, "a"); return err }, 404, "KMS.0207"},
		"scoped credential": {func() error {
			_, err := replicate(nd.clientFor(scopedAK, scopedSK, testProject), id, "local-3", region3Project, "a")
			return err
		}, 400, "KMS.0308"},
		"body and path differ": {func() error {
			_, err := c1.ReplicateKey(&model.ReplicateKeyRequest{KeyId: id, Body: &model.ReplicateKeyRequestBody{
				KeyId: unknown, ReplicaRegion: "local-3", ReplicaProjectId: region3Project, KeyAlias: "a"}})
			return err
		}, 400, "KMS.0205"},
		"duplicate tags": {func() error {
			_, err := c1.ReplicateKey(&model.ReplicateKeyRequest{KeyId: id, Body: &model.ReplicateKeyRequestBody{
				KeyId: id, ReplicaRegion: "local-3", ReplicaProjectId: region3Project, KeyAlias: "a",
				Tags: &[]model.TagItem{{Key: "k"}, {Key: "k"}}}})
			return err
		}, 400, "KMS.0414"},
	} {
		t.Run(name, func(t *testing.T) { wantErr(t, tc.call(), tc.status, tc.code) })
	}
	if n := len(listKeysIn(t, nd.clientFor(testAK, testSK, region3Project))); n != 0 {
		t.Fatalf("refused replications left %d keys in local-3", n)
	}
}

func listKeysIn(t *testing.T, c interface {
	ListKeys(*model.ListKeysRequest) (*model.ListKeysResponse, error)
}) []string {
	t.Helper()
	resp := must[*model.ListKeysResponse](t)(c.ListKeys(&model.ListKeysRequest{Body: &model.ListKeysRequestBody{
		KeySpec: enumOf[model.ListKeysRequestBodyKeySpec](t, "ALL")}}))
	return *resp.Keys
}

// TestUpdatePrimaryRegion moves the primary to a replica's region.
func TestUpdatePrimaryRegion(t *testing.T) {
	nd := startNode(t, withSeed(t, regionsSeed))
	c1, c2, c3 := nd.client(), nd.clientFor(testAK, testSK, region2Project), nd.clientFor(testAK, testSK, region3Project)
	id := createKey(t, c1, "mrk", nil)
	rid := *must[*model.ReplicateKeyResponse](t)(replicate(c1, id, "local-2", region2Project, "mrk")).KeyId
	move := func(c interface {
		UpdatePrimaryRegion(*model.UpdatePrimaryRegionRequest) (*model.UpdatePrimaryRegionResponse, error)
	}, key, region string) (*model.UpdatePrimaryRegionResponse, error) {
		return c.UpdatePrimaryRegion(&model.UpdatePrimaryRegionRequest{KeyId: key,
			Body: &model.UpdatePrimaryRegionRequestBody{KeyId: key, PrimaryRegion: region}})
	}
	_, err := move(c1, id, "local-3")
	wantErr(t, err, 400, "KMS.0308")
	_, err = move(c2, rid, "local-1")
	wantErr(t, err, 400, "KMS.0106")
	_, err = c1.UpdatePrimaryRegion(&model.UpdatePrimaryRegionRequest{KeyId: id,
		Body: &model.UpdatePrimaryRegionRequestBody{KeyId: rid, PrimaryRegion: "local-2"}})
	wantErr(t, err, 400, "KMS.0205")

	resp := must[*model.UpdatePrimaryRegionResponse](t)(move(c1, id, "local-2"))
	if *resp.KeyId != id || *resp.PrimaryRegion != "local-2" {
		t.Fatalf("update-primary-region response %+v", resp)
	}
	_, err = replicate(c1, id, "local-3", region3Project, "mrk")
	wantErr(t, err, 400, "KMS.0106")
	r3 := *must[*model.ReplicateKeyResponse](t)(replicate(c2, rid, "local-3", region3Project, "mrk")).KeyId
	ct := encryptOK(t, c1, id, "moved", "", nil)
	decryptOK(t, c3, ct, r3, "", nil, "moved", r3)
	decryptOK(t, c2, ct, rid, "", nil, "moved", rid)
	must[*model.UpdatePrimaryRegionResponse](t)(move(c2, rid, "local-2")) // its own region: no-op
}
