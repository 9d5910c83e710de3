package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	kms "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"
)

func addTag(c *kms.KmsClient, id, k, v string) error {
	_, err := c.CreateKmsTag(&model.CreateKmsTagRequest{KeyId: id, Body: &model.CreateKmsTagRequestBody{Tag: &model.TagItem{Key: k, Value: &v}}})
	return err
}

func batchTags(c *kms.KmsClient, id, action string, tags ...model.TagItem) error {
	_, err := c.BatchCreateKmsTags(&model.BatchCreateKmsTagsRequest{KeyId: id,
		Body: &model.BatchCreateKmsTagsRequestBody{Action: action, Tags: tags}})
	return err
}

func tagsOf(t *testing.T, c *kms.KmsClient, id string) string {
	t.Helper()
	resp := must[*model.ShowKmsTagsResponse](t)(c.ShowKmsTags(&model.ShowKmsTagsRequest{KeyId: id}))
	var out []string
	for _, tg := range *resp.Tags {
		out = append(out, tg.Key+"="+*tg.Value)
	}
	if int(*resp.ExistTagsNum) != len(out) {
		t.Errorf("existTagsNum %d for %d tags", *resp.ExistTagsNum, len(out))
	}
	return strings.Join(out, ",")
}

func item(k, v string) model.TagItem { return model.TagItem{Key: k, Value: &v} }

func TestTagsOnAKey(t *testing.T) {
	nd := startNode(t, withSeed(t, defaultKeySeed))
	c := nd.client()
	id := createKey(t, c, "tagged", nil)
	if err := addTag(c, id, "env", "prod"); err != nil {
		t.Fatal(err)
	}
	if err := addTag(c, id, "env", "dev"); err != nil { // overwrite
		t.Fatal(err)
	}
	if err := batchTags(c, id, "create", item("team", "kms"), item("密钥", ""), item("cost", "42")); err != nil {
		t.Fatal(err)
	}
	if got := tagsOf(t, c, id); got != "cost=42,env=dev,team=kms,密钥=" {
		t.Fatalf("tags: %s", got)
	}
	if err := batchTags(c, id, "delete", item("cost", "ignored"), item("absent", "")); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteTag(&model.DeleteTagRequest{KeyId: id, Key: "team"}); err != nil {
		t.Fatal(err)
	}
	_, err := c.DeleteTag(&model.DeleteTagRequest{KeyId: id, Key: "team"})
	wantErr(t, err, 404, "KMS.0416")
	if got := tagsOf(t, c, id); got != "env=dev,密钥=" {
		t.Fatalf("tags after deletes: %s", got)
	}
	status, _, body := nd.do(http.MethodGet, kmsPath(id+"/tags"), "", true, nil)
	if status != 200 || !strings.Contains(body, `"sys_tags":[]`) {
		t.Errorf("show tags raw: %d %s", status, body)
	}
	// A tag named "action" can be deleted despite the batch path.
	if err := addTag(c, id, "action", "x"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteTag(&model.DeleteTagRequest{KeyId: id, Key: "action"}); err != nil {
		t.Fatal(err)
	}
}

func TestTagRules(t *testing.T) {
	nd := startNode(t, withSeed(t, defaultKeySeed))
	c := nd.client()
	id := createKey(t, c, "strict", nil)
	for name, tc := range map[string]struct {
		k, v, code string
	}{
		"key too long":    {strings.Repeat("k", 37), "", "KMS.0411"},
		"key empty":       {"", "v", "KMS.0411"},
		"key forbidden":   {"a=b", "v", "KMS.0406"},
		"key control":     {"a\tb", "v", "KMS.0406"},
		"value too long":  {"k", strings.Repeat("v", 44), "KMS.0410"},
		"value forbidden": {"k", "a<b", "KMS.0405"},
	} {
		t.Run(name, func(t *testing.T) { wantErr(t, addTag(c, id, tc.k, tc.v), 400, tc.code) })
	}
	if err := addTag(c, id, strings.Repeat("键", 36), strings.Repeat("值", 43)); err != nil {
		t.Fatalf("36/43 Unicode characters: %v", err)
	}
	wantErr(t, addTag(c, defaultKeyID, "k", "v"), 400, "KMS.0211")
	wantErr(t, addTag(c, "00000000-0000-4000-8000-000000000000", "k", "v"), 404, "KMS.0207")
	wantErr(t, batchTags(c, id, "create"), 400, "KMS.0401")
	wantErr(t, batchTags(c, id, "update", item("k", "v")), 400, "KMS.0404")
	wantErr(t, batchTags(c, id, "create", item("k", "1"), item("k", "2")), 400, "KMS.0412")
	var nine []model.TagItem
	for i := range 9 {
		nine = append(nine, item(fmt.Sprintf("t%d", i), ""))
	}
	if err := batchTags(c, id, "create", nine...); err != nil {
		t.Fatal(err)
	}
	wantErr(t, addTag(c, id, "eleventh", ""), 400, "KMS.0409")
	wantErr(t, batchTags(c, id, "create", item("x", ""), item("y", "")), 400, "KMS.0409")
	if got := tagsOf(t, c, id); strings.Count(got, ",") != 9 {
		t.Fatalf("a refused batch changed the tags: %s", got)
	}
}

func TestProjectTagsAndResourceInstances(t *testing.T) {
	nd := startNode(t, withSeed(t, defaultKeySeed))
	c := nd.client()
	var ids []string
	for _, name := range []string{"app-alpha", "app-beta", "db-delta", "untagged"} {
		ids = append(ids, createKey(t, c, name, nil))
		nd.clock.Advance(time.Second) // distinct creation dates: a stable order
	}
	a, b, d := ids[0], ids[1], ids[2]
	must[*model.CreateKmsTagResponse](t)(c.CreateKmsTag(&model.CreateKmsTagRequest{KeyId: a, Body: &model.CreateKmsTagRequestBody{Tag: ptr(item("env", "prod"))}}))
	if err := batchTags(c, b, "create", item("env", "dev"), item("team", "x")); err != nil {
		t.Fatal(err)
	}
	if err := batchTags(c, d, "create", item("env", "prod"), item("team", "x")); err != nil {
		t.Fatal(err)
	}
	pt := must[*model.ListKmsTagsResponse](t)(c.ListKmsTags(&model.ListKmsTagsRequest{}))
	if got := fmt.Sprint(projectTagsString(*pt.Tags)); got != "env=[dev prod] team=[x]" {
		t.Fatalf("project tags: %s", got)
	}
	for name, tc := range map[string]struct {
		body  model.ListKmsByTagsRequestBody
		want  string // resource names in creation order
		total int32
	}{
		"all":              {model.ListKmsByTagsRequestBody{Action: ptr("filter")}, "app-alpha,app-beta,db-delta,untagged", 4},
		"one value":        {model.ListKmsByTagsRequestBody{Action: ptr("filter"), Tags: &[]model.Tag{{Key: ptr("env"), Values: &[]string{"prod"}}}}, "app-alpha,db-delta", 2},
		"values are OR":    {model.ListKmsByTagsRequestBody{Action: ptr("filter"), Tags: &[]model.Tag{{Key: ptr("env"), Values: &[]string{"prod", "dev"}}}}, "app-alpha,app-beta,db-delta", 3},
		"keys are AND":     {model.ListKmsByTagsRequestBody{Action: ptr("filter"), Tags: &[]model.Tag{{Key: ptr("env"), Values: &[]string{"prod"}}, {Key: ptr("team"), Values: &[]string{}}}}, "db-delta", 1},
		"name match":       {model.ListKmsByTagsRequestBody{Action: ptr("filter"), Matches: &[]model.TagItem{item("resource_name", "APP")}}, "app-alpha,app-beta", 2},
		"page":             {model.ListKmsByTagsRequestBody{Action: ptr("filter"), Limit: ptr("2"), Offset: ptr("1")}, "app-beta,db-delta", 4},
		"offset past end":  {model.ListKmsByTagsRequestBody{Action: ptr("filter"), Offset: ptr("10")}, "", 4},
		"default is limit": {model.ListKmsByTagsRequestBody{}, "app-alpha,app-beta,db-delta,untagged", 4},
	} {
		t.Run(name, func(t *testing.T) {
			resp := must[*model.ListKmsByTagsResponse](t)(c.ListKmsByTags(&model.ListKmsByTagsRequest{ResourceInstances: "resource_instances", Body: &tc.body}))
			var names []string
			for _, r := range *resp.Resources {
				names = append(names, *r.ResourceName)
				if *r.ResourceDetail.KeyId != *r.ResourceId || r.Tags == nil {
					t.Errorf("resource %v", r)
				}
			}
			if got := strings.Join(names, ","); got != tc.want || *resp.TotalCount != tc.total {
				t.Fatalf("got %s (total %d), want %s (total %d)", got, *resp.TotalCount, tc.want, tc.total)
			}
		})
	}
	cnt := must[*model.ListKmsByTagsResponse](t)(c.ListKmsByTags(&model.ListKmsByTagsRequest{ResourceInstances: "resource_instances",
		Body: &model.ListKmsByTagsRequestBody{Action: ptr("count"), Tags: &[]model.Tag{{Key: ptr("team")}}}}))
	if *cnt.TotalCount != 2 || cnt.Resources != nil {
		t.Fatalf("count: %v", cnt)
	}
	checkResourceRefusals(t, nd)
}

func projectTagsString(tags []model.Tag) string {
	var out []string
	for _, tg := range tags {
		out = append(out, fmt.Sprintf("%s=%v", *tg.Key, *tg.Values))
	}
	return strings.Join(out, " ")
}

func checkResourceRefusals(t *testing.T, nd *node) {
	for body, code := range map[string]string{
		`{"action":"list"}`:                                                               "KMS.0404",
		`{"action":"filter","offset":"-1"}`:                                               "KMS.0417",
		`{"action":"count","offset":"0"}`:                                                 "KMS.0418",
		`{"action":"filter","limit":"0"}`:                                                 "KMS.1601",
		`{"action":"filter","limit":1001}`:                                                "KMS.1601",
		`{"matches":[{"key":"resource_id","value":"x"}]}`:                                 "KMS.0403",
		`{"matches":[{"key":"resource_name","value":""}]}`:                                "KMS.0402",
		`{"tags":[{"key":"","values":[]}]}`:                                               "KMS.0414",
		`{"tags":[{"key":"a","values":["x","x"]}]}`:                                       "KMS.0414",
		`{"tags":[{"key":"a"},{"key":"a"}]}`:                                              "KMS.0414",
		`{"tags":[{"key":"a","values":["1","2","3","4","5","6","7","8","9","10","11"]}]}`: "KMS.0413",
	} {
		status, h, resp := nd.do(http.MethodPost, kmsPath("resource_instances/action"), body, true, nil)
		wantRaw(t, status, h, resp, 400, code)
	}
	status, h, resp := nd.do(http.MethodPost, kmsPath("resource_instance/action"), `{}`, true, nil)
	wantRaw(t, status, h, resp, 400, "KMS.0201")
}
