package e2e

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"

	"github.com/kmsd/kmsd/internal/config"
)

func TestEnableDisable(t *testing.T) {
	nd := startNode(t, withSeed(t, defaultKeySeed))
	c := nd.client()
	id := createKey(t, c, "toggle", nil)

	_, err := c.EnableKey(&model.EnableKeyRequest{Body: operate(id)})
	wantErr(t, err, 400, "KMS.1201") // already enabled
	resp, err := c.DisableKey(&model.DisableKeyRequest{Body: operate(id)})
	if err != nil || *resp.KeyInfo.KeyState != "3" || *resp.KeyInfo.KeyId != id {
		t.Fatalf("disable-key: %v %v", resp, err)
	}
	_, err = c.DisableKey(&model.DisableKeyRequest{Body: operate(id)})
	wantErr(t, err, 400, "KMS.1301")
	en, err := c.EnableKey(&model.EnableKeyRequest{Body: operate(id)})
	if err != nil || *en.KeyInfo.KeyState != "2" {
		t.Fatalf("enable-key: %v %v", en, err)
	}
	_, err = c.DisableKey(&model.DisableKeyRequest{Body: operate(defaultKeyID)})
	wantErr(t, err, 400, "KMS.0211")
}

func TestScheduleAndCancelDeletion(t *testing.T) {
	nd := startNode(t, withSeed(t, defaultKeySeed))
	c := nd.client()
	id := createKey(t, c, "deletable", nil)

	for _, days := range []string{"6", "1097", "seven", ""} {
		_, err := scheduleDeletion(c, id, days)
		if days == "" {
			wantErr(t, err, 400, "KMS.0204")
			continue
		}
		wantErr(t, err, 400, "KMS.1401")
	}
	_, err := scheduleDeletion(c, defaultKeyID, "7")
	wantErr(t, err, 400, "KMS.0211")

	resp, err := scheduleDeletion(c, id, "7")
	if err != nil || *resp.KeyState != "4" || *resp.KeyId != id {
		t.Fatalf("schedule-key-deletion: %v %v", resp, err)
	}
	d := describe(t, c, id)
	ms, _ := strconv.ParseInt(*d.ScheduledDeletionDate, 10, 64)
	if want := nd.clock.Now().Add(7 * 24 * time.Hour); time.UnixMilli(ms).Sub(want).Abs() > time.Second {
		t.Errorf("scheduled_deletion_date %s, want about %v", *d.ScheduledDeletionDate, want)
	}
	_, err = scheduleDeletion(c, id, "7")
	wantErr(t, err, 400, "KMS.1402")
	_, err = c.EnableKey(&model.EnableKeyRequest{Body: operate(id)})
	wantErr(t, err, 400, "KMS.0210")

	cancel, err := c.CancelKeyDeletion(&model.CancelKeyDeletionRequest{Body: operate(id)})
	if err != nil || *cancel.KeyState != "3" {
		t.Fatalf("cancel-key-deletion: %v %v", cancel, err)
	}
	if got := *describe(t, c, id).ScheduledDeletionDate; got != "" {
		t.Errorf("scheduled_deletion_date after cancel = %q", got)
	}
	_, err = c.CancelKeyDeletion(&model.CancelKeyDeletionRequest{Body: operate(id)})
	wantErr(t, err, 400, "KMS.1501")
}

// TestDeletionJob checks that a key is really deleted when its day comes,
// not before, using the injected clock instead of waiting.
func TestDeletionJob(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	id := createKey(t, c, "expiring", nil)
	keep := createKey(t, c, "keeper", nil)
	if _, err := scheduleDeletion(c, id, "7"); err != nil {
		t.Fatal(err)
	}
	nd.clock.Advance(7*24*time.Hour - time.Minute)
	nd.runJobs()
	if got := *describe(t, c, id).KeyState; got != "4" {
		t.Fatalf("key gone early: state %s", got)
	}
	nd.clock.Advance(2 * time.Minute)
	nd.runJobs()
	_, err := c.ListKeyDetail(&model.ListKeyDetailRequest{Body: operate(id)})
	wantErr(t, err, 404, "KMS.0207")
	describe(t, c, keep)
	// The alias is free again once the key is gone.
	createKey(t, c, "expiring", nil)
}

func TestListKeys(t *testing.T) {
	nd := startNode(t, withSeed(t, defaultKeySeed))
	c := nd.client()
	var ids []string
	for i := range 5 {
		ids = append(ids, createKey(t, c, "list-"+strconv.Itoa(i), nil))
		nd.clock.Advance(time.Millisecond)
	}
	sm4 := createKey(t, c, "list-sm4", specPtr(model.GetCreateKeyRequestBodyKeySpecEnum().SM4))
	if _, err := c.DisableKey(&model.DisableKeyRequest{Body: operate(ids[1])}); err != nil {
		t.Fatal(err)
	}
	list := func(body model.ListKeysRequestBody) *model.ListKeysResponse {
		t.Helper()
		resp, err := c.ListKeys(&model.ListKeysRequest{Body: &body})
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	all := list(model.ListKeysRequestBody{})
	// default key_spec filter is AES_256: 5 created + the default key
	if *all.Total != 6 || len(*all.Keys) != 6 || all.Truncated.Value() != "false" || *all.NextMarker != "" {
		t.Fatalf("list-keys: total %d, %d keys, truncated %s", *all.Total, len(*all.Keys), all.Truncated.Value())
	}
	every := list(model.ListKeysRequestBody{KeySpec: ptrSpec("ALL")})
	if *every.Total != 7 {
		t.Fatalf("key_spec ALL: total %d, want 7", *every.Total)
	}
	only := list(model.ListKeysRequestBody{KeySpec: ptrSpec("SM4")})
	if *only.Total != 1 || (*only.Keys)[0] != sm4 {
		t.Fatalf("key_spec SM4: %v", *only.Keys)
	}
	disabled := list(model.ListKeysRequestBody{KeyState: ptr("3")})
	if *disabled.Total != 1 || (*disabled.Keys)[0] != ids[1] || *(*disabled.KeyDetails)[0].KeyState != "3" {
		t.Fatalf("key_state 3: %v", *disabled.Keys)
	}
	// Pages of two, following next_marker, visit every AES key once in creation order.
	var seen []string
	marker := ""
	for page := 0; page < 10; page++ {
		body := model.ListKeysRequestBody{Limit: ptr("2")}
		if marker != "" {
			body.Marker = &marker
		}
		r := list(body)
		seen = append(seen, *r.Keys...)
		if *r.Total != 6 {
			t.Fatalf("total %d on page %d", *r.Total, page)
		}
		if r.Truncated.Value() == "false" {
			break
		}
		marker = *r.NextMarker
	}
	if len(seen) != 6 {
		t.Fatalf("paged through %d keys, want 6: %v", len(seen), seen)
	}
	for _, bad := range []string{"0", "2001", "x"} {
		_, err := c.ListKeys(&model.ListKeysRequest{Body: &model.ListKeysRequestBody{Limit: ptr(bad)}})
		wantErr(t, err, 400, "KMS.1601")
	}
	_, err := c.ListKeys(&model.ListKeysRequest{Body: &model.ListKeysRequestBody{Limit: ptr("2"), Marker: ptr("-1")}})
	wantErr(t, err, 400, "KMS.1602")
}

func ptrSpec(s string) *model.ListKeysRequestBodyKeySpec {
	var v model.ListKeysRequestBodyKeySpec
	if err := v.UnmarshalJSON([]byte(`"` + s + `"`)); err != nil {
		panic(err)
	}
	return &v
}

func TestInstancesQuotasVersions(t *testing.T) {
	nd := startNode(t, withSeed(t, defaultKeySeed), func(c *config.Config) { c.KeyQuota = 3 })
	c := nd.client()
	for i := range 3 {
		createKey(t, c, "q"+strconv.Itoa(i), nil)
	}
	_, err := c.CreateKey(&model.CreateKeyRequest{Body: &model.CreateKeyRequestBody{KeyAlias: "one-too-many"}})
	wantErr(t, err, 400, "KMS.1105")

	inst, err := c.ShowUserInstances(&model.ShowUserInstancesRequest{})
	if err != nil || *inst.InstanceNum != 3 { // the default key does not count
		t.Fatalf("user-instances: %v %v", inst, err)
	}
	q, err := c.ShowUserQuotas(&model.ShowUserQuotasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	res := *q.Quotas.Resources
	if len(res) != 2 || res[0].Type.Value() != "CMK" || *res[0].Used != 3 || *res[0].Quota != 3 ||
		res[1].Type.Value() != "grant_per_CMK" || *res[1].Quota != 100 {
		t.Fatalf("user-quotas: %v", q)
	}
	vs, err := c.ShowVersions(&model.ShowVersionsRequest{})
	if err != nil || len(*vs.Versions) != 1 || *(*vs.Versions)[0].Id != "v1.0" {
		t.Fatalf("versions: %v %v", vs, err)
	}
	v, err := c.ShowVersion(&model.ShowVersionRequest{VersionId: "v1.0"})
	if err != nil || v.Version == nil {
		t.Fatalf("version: %v %v", v, err)
	}
	_, err = c.ShowVersion(&model.ShowVersionRequest{VersionId: "v9"})
	wantErr(t, err, 400, "KMS.0201")
}

// TestKeyAliasResolves checks that a key's own key_alias, spelled
// "alias/<name>", works wherever a key reference is accepted.
func TestKeyAliasResolves(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	id := createKey(t, c, "alias/by-name", nil)
	if got := *describe(t, c, "alias/by-name").KeyId; got != id {
		t.Fatalf("alias/by-name resolved to %s, want %s", got, id)
	}
	_, err := c.ListKeyDetail(&model.ListKeyDetailRequest{Body: operate("alias/nobody")})
	wantErr(t, err, 404, "KMS.0207")
	status, _, body := nd.do("GET", "/healthz", "", false, nil)
	if status != 200 || !strings.Contains(body, "ok") {
		t.Fatalf("healthz: %d %s", status, body)
	}
}
