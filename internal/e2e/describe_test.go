package e2e

import (
	"strconv"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"
)

func TestCreateAndDescribeKey(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	specs := model.GetCreateKeyRequestBodyKeySpecEnum()
	for _, tc := range []struct {
		name string
		spec *model.CreateKeyRequestBodyKeySpec
		want string
	}{
		{"default spec is AES_256", nil, "AES_256"},
		{"SM4", specPtr(specs.SM4), "SM4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := c.CreateKey(&model.CreateKeyRequest{Body: &model.CreateKeyRequestBody{
				KeyAlias: "key-" + tc.want, KeySpec: tc.spec, KeyDescription: ptr("made by a test")}})
			if err != nil {
				t.Fatal(err)
			}
			id := *resp.KeyInfo.KeyId
			if *resp.KeyInfo.DomainId != nd.n.Bootstrap.DomainID {
				t.Errorf("domain_id %q, want %q", *resp.KeyInfo.DomainId, nd.n.Bootstrap.DomainID)
			}
			d := describe(t, c, id)
			checkDetails(t, d, map[string]string{
				"key_id": id, "key_alias": "key-" + tc.want, "key_spec": tc.want, "key_usage": "ENCRYPT_DECRYPT",
				"key_state": "2", "default_key_flag": "0", "key_type": "1", "origin": "kms",
				"key_rotation_enabled": "false", "scheduled_deletion_date": "", "realm": testRegion,
				"key_description": "made by a test", "keystore_id": "0", "sys_enterprise_project_id": "0",
			})
			ms, err := strconv.ParseInt(*d.CreationDate, 10, 64)
			if err != nil || time.Since(time.UnixMilli(ms)).Abs() > time.Minute {
				t.Errorf("creation_date %q is not a recent epoch-milliseconds string", *d.CreationDate)
			}
		})
	}
}

func checkDetails(t *testing.T, d model.KeyDetails, want map[string]string) {
	t.Helper()
	got := map[string]string{
		"key_id": *d.KeyId, "key_alias": *d.KeyAlias, "key_spec": d.KeySpec.Value(),
		"key_usage": d.KeyUsage.Value(), "key_state": *d.KeyState, "default_key_flag": *d.DefaultKeyFlag,
		"key_type": *d.KeyType, "origin": d.Origin.Value(), "key_rotation_enabled": *d.KeyRotationEnabled,
		"scheduled_deletion_date": *d.ScheduledDeletionDate, "realm": *d.Realm,
		"key_description": *d.KeyDescription, "keystore_id": *d.KeystoreId,
		"sys_enterprise_project_id": *d.SysEnterpriseProjectId,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}

func TestDescribeKeyErrors(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	_, err := c.ListKeyDetail(&model.ListKeyDetailRequest{Body: operate("0d0466b0-e727-4d9c-b35d-f84bb474a37f")})
	wantErr(t, err, 404, "KMS.0207")
	_, err = c.ListKeyDetail(&model.ListKeyDetailRequest{Body: operate("not-a-key")})
	wantErr(t, err, 400, "KMS.0205")
	_, err = c.ListKeyDetail(&model.ListKeyDetailRequest{Body: operate("")})
	wantErr(t, err, 400, "KMS.0204")
}

func TestCreateKeyRules(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	createKey(t, c, "taken", nil)
	usage := model.GetCreateKeyRequestBodyKeyUsageEnum()
	specs := model.GetCreateKeyRequestBodyKeySpecEnum()
	for _, tc := range []struct {
		name   string
		body   model.CreateKeyRequestBody
		status int
		code   string
	}{
		{"alias ending in /default is reserved", model.CreateKeyRequestBody{KeyAlias: "obs/default"}, 400, "KMS.1101"},
		{"alias with a space", model.CreateKeyRequestBody{KeyAlias: "a b"}, 400, "KMS.1101"},
		{"alias of 256 characters", model.CreateKeyRequestBody{KeyAlias: string(make256('a'))}, 400, "KMS.1101"},
		{"missing alias", model.CreateKeyRequestBody{}, 400, "KMS.0204"},
		{"duplicate alias", model.CreateKeyRequestBody{KeyAlias: "taken"}, 400, "KMS.1104"},
		{"description of 256 characters", model.CreateKeyRequestBody{KeyAlias: "d", KeyDescription: ptr(string(make256('x')))}, 400, "KMS.1103"},
		{"symmetric key cannot sign", model.CreateKeyRequestBody{KeyAlias: "s", KeyUsage: &usage.SIGN_VERIFY}, 400, "KMS.1115"},
		{"EC key cannot encrypt", model.CreateKeyRequestBody{KeyAlias: "e", KeySpec: &specs.EC_P256, KeyUsage: &usage.ENCRYPT_DECRYPT}, 400, "KMS.1114"},
		{"bad sequence", model.CreateKeyRequestBody{KeyAlias: "q", Sequence: ptr("short")}, 400, "KMS.0206"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CreateKey(&model.CreateKeyRequest{Body: &tc.body})
			wantErr(t, err, tc.status, tc.code)
		})
	}
}

func make256(r rune) []rune {
	out := make([]rune, 256)
	for i := range out {
		out[i] = r
	}
	return out
}
