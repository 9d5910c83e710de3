package e2e

import (
	"strconv"
	"testing"
	"time"

	kms "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"
)

func createKeystore(c *kms.KmsClient, alias, typ string) (*model.CreateKeyStoreResponse, error) {
	body := &model.CreateKeyStoreRequestBody{KeystoreAlias: alias}
	if typ != "" {
		var tt model.CreateKeyStoreRequestBodyKeystoreType
		if err := tt.UnmarshalJSON([]byte(strconv.Quote(typ))); err != nil {
			return nil, err
		}
		body.KeystoreType = &tt
	}
	return c.CreateKeyStore(&model.CreateKeyStoreRequest{Body: body})
}

func keyInKeystore(c *kms.KmsClient, alias, keystore, origin string) (*model.CreateKeyResponse, error) {
	body := &model.CreateKeyRequestBody{KeyAlias: alias, KeystoreId: &keystore}
	if origin != "" {
		var o model.CreateKeyRequestBodyOrigin
		if err := o.UnmarshalJSON([]byte(strconv.Quote(origin))); err != nil {
			return nil, err
		}
		body.Origin = &o
	}
	return c.CreateKey(&model.CreateKeyRequest{Body: body})
}

// TestKeystoreLifecycle creates, enables, uses, lists, disables and deletes
// a keystore.
func TestKeystoreLifecycle(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	created := must[*model.CreateKeyStoreResponse](t)(createKeystore(c, "ks-1", "DEFAULT"))
	ks := *created.Keystore.KeystoreId
	if *created.Keystore.DomainId == "" {
		t.Fatal("create-keystore without domain_id")
	}
	shown := must[*model.ShowKeyStoreResponse](t)(c.ShowKeyStore(&model.ShowKeyStoreRequest{KeystoreId: ks}))
	d := shown.Keystore
	if *d.KeystoreAlias != "ks-1" || *d.KeystoreType != "DEFAULT" || *d.ClusterId != "0" || *d.CreateTime == "" {
		t.Fatalf("show-keystore %+v", d)
	}
	_, err := keyInKeystore(c, "k0", ks, "")
	wantErr(t, err, 400, "KMS.0308") // a new keystore is disabled

	en := must[*model.EnableKeyStoreResponse](t)(c.EnableKeyStore(&model.EnableKeyStoreRequest{KeystoreId: ks}))
	if *en.Keystore.KeystoreState != "2" || *en.Keystore.KeystoreId != ks {
		t.Fatalf("enable-keystore %+v", en.Keystore)
	}
	id := *must[*model.CreateKeyResponse](t)(keyInKeystore(c, "k1", ks, "")).KeyInfo.KeyId
	if got := *describe(t, c, id).KeystoreId; got != ks {
		t.Fatalf("key keystore_id %s, want %s", got, ks)
	}
	_, err = keyInKeystore(c, "k2", ks, "external")
	wantErr(t, err, 400, "KMS.0339")
	_, err = c.DeleteKeyStore(&model.DeleteKeyStoreRequest{KeystoreId: ks})
	wantErr(t, err, 400, "KMS.0308") // still holds k1

	must[*model.CreateKeyStoreResponse](t)(createKeystore(c, "ks-2", ""))
	list := must[*model.ListKeyStoresResponse](t)(c.ListKeyStores(&model.ListKeyStoresRequest{Limit: ptr[int32](1), Offset: ptr[int32](1)}))
	if *list.Total != 2 || len(*list.Keystores) != 1 || *(*list.Keystores)[0].KeystoreAlias != "ks-2" {
		t.Fatalf("list-keystores %+v", list)
	}
	dis := must[*model.DisableKeyStoreResponse](t)(c.DisableKeyStore(&model.DisableKeyStoreRequest{KeystoreId: ks}))
	if *dis.Keystore.KeystoreState != "3" {
		t.Fatalf("disable-keystore %+v", dis.Keystore)
	}
	_, err = keyInKeystore(c, "k3", ks, "")
	wantErr(t, err, 400, "KMS.0308")

	nd.restart()
	c = nd.client()
	must[*model.DeleteKeyResponse](t)(scheduleDeletion(c, id, "7"))
	nd.clock.Advance(8 * 24 * time.Hour)
	nd.runJobs()
	must[*model.DeleteKeyStoreResponse](t)(c.DeleteKeyStore(&model.DeleteKeyStoreRequest{KeystoreId: ks}))
	_, err = c.ShowKeyStore(&model.ShowKeyStoreRequest{KeystoreId: ks})
	wantErr(t, err, 400, "KMS.8003")
	must[*model.CreateKeyStoreResponse](t)(createKeystore(c, "ks-1", "")) // the alias is free again
}

// TestKeystoreRefusals checks the refusals of the keystore actions and of
// create-key's keystore_id.
func TestKeystoreRefusals(t *testing.T) {
	nd := startNode(t, withSeed(t, regionsSeed))
	c := nd.client()
	ks := *must[*model.CreateKeyStoreResponse](t)(createKeystore(c, "ks", "")).Keystore.KeystoreId
	const unknown = "0d0466b0-e727-4d9c-b35d-f84bb474a37f"
	c2 := nd.clientFor(testAK, testSK, region2Project)
	for name, tc := range map[string]struct {
		call   func() error
		status int
		code   string
	}{
		"DHSM":            {func() error { _, err := createKeystore(c, "d", "DHSM"); return err }, 400, "KMS.0340"},
		"CDMS":            {func() error { _, err := createKeystore(c, "d", "CDMS"); return err }, 400, "KMS.0340"},
		"duplicate alias": {func() error { _, err := createKeystore(c2, "ks", ""); return err }, 400, "KMS.1104"},
		"bad alias":       {func() error { _, err := createKeystore(c, "a b", ""); return err }, 400, "KMS.1101"},
		"no alias":        {func() error { _, err := createKeystore(c, "", ""); return err }, 400, "KMS.0204"},
		"hsm cluster": {func() error {
			_, err := c.CreateKeyStore(&model.CreateKeyStoreRequest{Body: &model.CreateKeyStoreRequestBody{KeystoreAlias: "h", HsmClusterId: ptr("c")}})
			return err
		}, 400, "KMS.0340"},
		"show unknown":       {func() error { _, err := c.ShowKeyStore(&model.ShowKeyStoreRequest{KeystoreId: unknown}); return err }, 400, "KMS.8003"},
		"show malformed":     {func() error { _, err := c.ShowKeyStore(&model.ShowKeyStoreRequest{KeystoreId: "x"}); return err }, 400, "KMS.8003"},
		"show other project": {func() error { _, err := c2.ShowKeyStore(&model.ShowKeyStoreRequest{KeystoreId: ks}); return err }, 400, "KMS.8003"},
		"enable unknown": {func() error {
			_, err := c.EnableKeyStore(&model.EnableKeyStoreRequest{KeystoreId: unknown})
			return err
		}, 400, "KMS.8003"},
		"disable unknown": {func() error {
			_, err := c.DisableKeyStore(&model.DisableKeyStoreRequest{KeystoreId: unknown})
			return err
		}, 400, "KMS.8003"},
		"delete unknown": {func() error {
			_, err := c.DeleteKeyStore(&model.DeleteKeyStoreRequest{KeystoreId: unknown})
			return err
		}, 400, "KMS.8003"},
		"key in unknown":         {func() error { _, err := keyInKeystore(c, "k", unknown, ""); return err }, 400, "KMS.8003"},
		"key in shared CDMS":     {func() error { _, err := keyInKeystore(c, "k", "1", ""); return err }, 400, "KMS.0340"},
		"key in other project's": {func() error { _, err := keyInKeystore(c2, "k", ks, ""); return err }, 400, "KMS.8003"},
		"list bad limit": {func() error {
			_, err := c.ListKeyStores(&model.ListKeyStoresRequest{Limit: ptr[int32](1001)})
			return err
		}, 400, "KMS.1601"},
		"list bad offset": {func() error {
			_, err := c.ListKeyStores(&model.ListKeyStoresRequest{Offset: ptr[int32](-1)})
			return err
		}, 400, "KMS.1603"},
	} {
		t.Run(name, func(t *testing.T) { wantErr(t, tc.call(), tc.status, tc.code) })
	}
	list := must[*model.ListKeyStoresResponse](t)(c.ListKeyStores(&model.ListKeyStoresRequest{}))
	if *list.Total != 1 {
		t.Fatalf("refusals created keystores: %+v", list)
	}
}
