package e2e

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"
)

func rotationStatus(t *testing.T, c interface {
	ShowKeyRotationStatus(*model.ShowKeyRotationStatusRequest) (*model.ShowKeyRotationStatusResponse, error)
}, id string) *model.ShowKeyRotationStatusResponse {
	t.Helper()
	resp, err := c.ShowKeyRotationStatus(&model.ShowKeyRotationStatusRequest{Body: operate(id)})
	if err != nil {
		t.Fatalf("get-key-rotation-status: %v", err)
	}
	return resp
}

func setInterval(nd *node, id string, days int32) error {
	_, err := nd.client().UpdateKeyRotationInterval(&model.UpdateKeyRotationIntervalRequest{
		Body: &model.UpdateKeyRotationIntervalRequestBody{KeyId: id, RotationInterval: days}})
	return err
}

func TestRotationSettings(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	id := createKey(t, c, "rotating", nil)
	st := rotationStatus(t, c, id)
	if *st.KeyRotationEnabled || *st.RotationInterval != 365 || *st.LastRotationTime != "" || *st.NumberOfRotations != 0 {
		t.Fatalf("initial status: %v", st)
	}
	wantErr(t, setInterval(nd, id, 90), 400, "KMS.0313")
	_, err := c.DisableKeyRotation(&model.DisableKeyRotationRequest{Body: operate(id)})
	wantErr(t, err, 400, "KMS.0313")
	must[*model.EnableKeyRotationResponse](t)(c.EnableKeyRotation(&model.EnableKeyRotationRequest{Body: operate(id)}))
	_, err = c.EnableKeyRotation(&model.EnableKeyRotationRequest{Body: operate(id)})
	wantErr(t, err, 400, "KMS.2901")
	if d := describe(t, c, id); *d.KeyRotationEnabled != "true" {
		t.Errorf("key_rotation_enabled in describe-key: %q", *d.KeyRotationEnabled)
	}
	for _, days := range []int32{29, 366, 0, -1} {
		wantErr(t, setInterval(nd, id, days), 400, "KMS.3001")
	}
	for _, days := range []int32{30, 365, 90} {
		if err := setInterval(nd, id, days); err != nil {
			t.Fatal(err)
		}
	}
	must[*model.DisableKeyRotationResponse](t)(c.DisableKeyRotation(&model.DisableKeyRotationRequest{Body: operate(id)}))
	must[*model.EnableKeyRotationResponse](t)(c.EnableKeyRotation(&model.EnableKeyRotationRequest{Body: operate(id)}))
	if st := rotationStatus(t, c, id); !*st.KeyRotationEnabled || *st.RotationInterval != 90 {
		t.Fatalf("interval not kept across disable/enable: %v", st)
	}
	// By alias, and with a string interval (what a lenient client may send).
	must[*model.CreateAliasResponse](t)(c.CreateAlias(&model.CreateAliasRequest{Body: &model.CreateAliasRequestBody{KeyId: id, Alias: "alias/rot"}}))
	status, _, body := nd.do(http.MethodPost, kmsPath("update-key-rotation-interval"), `{"key_id":"alias/rot","rotation_interval":"45"}`, true, nil)
	if status != 200 || rotationStatus(t, c, id).RotationInterval == nil || *rotationStatus(t, c, id).RotationInterval != 45 {
		t.Fatalf("interval by alias: %d %s", status, body)
	}
	status, h, body := nd.do(http.MethodPost, kmsPath("update-key-rotation-interval"), `{"key_id":"`+id+`"}`, true, nil)
	wantRaw(t, status, h, body, 400, "KMS.0204")
	status, h, body = nd.do(http.MethodPost, kmsPath("update-key-rotation-interval"), `{"key_id":"`+id+`","rotation_interval":true}`, true, nil)
	wantRaw(t, status, h, body, 400, "KMS.0214")
}

func TestRotationRefusals(t *testing.T) {
	nd := startNode(t, withSeed(t, defaultKeySeed))
	c := nd.client()
	specs := model.GetCreateKeyRequestBodyKeySpecEnum()
	ext, err := c.CreateKey(&model.CreateKeyRequest{Body: &model.CreateKeyRequestBody{KeyAlias: "ext",
		Origin: ptr(model.GetCreateKeyRequestBodyOriginEnum().EXTERNAL)}})
	if err != nil {
		t.Fatal(err)
	}
	status, _, body := nd.do(http.MethodPost, kmsPath("create-key"), `{"key_alias":"mac","key_spec":"HMAC_256"}`, true, nil)
	if status != 200 {
		t.Fatalf("create HMAC key: %d %s", status, body)
	}
	var created struct {
		KeyInfo struct {
			KeyID string `json:"key_id"`
		} `json:"key_info"`
	}
	if err := json.Unmarshal([]byte(body), &created); err != nil {
		t.Fatal(err)
	}
	hmacID := created.KeyInfo.KeyID
	disabled := createKey(t, c, "disabled", nil)
	must[*model.DisableKeyResponse](t)(c.DisableKey(&model.DisableKeyRequest{Body: operate(disabled)}))
	pending := createKey(t, c, "pending", nil)
	must[*model.DeleteKeyResponse](t)(scheduleDeletion(c, pending, "7"))
	for name, tc := range map[string]struct {
		id, code string
	}{
		"default key":      {defaultKeyID, "KMS.0211"},
		"external key":     {*ext.KeyInfo.KeyId, "KMS.0312"},
		"RSA key":          {createKey(t, c, "rsa", specPtr(specs.RSA_2048)), "KMS.0324"},
		"EC key":           {createKey(t, c, "ec", specPtr(specs.EC_P256)), "KMS.0325"},
		"SM2 key":          {createKey(t, c, "sm2", specPtr(specs.SM2)), "KMS.0325"},
		"HMAC key":         {hmacID, "KMS.0341"},
		"disabled key":     {disabled, "KMS.0209"},
		"pending deletion": {pending, "KMS.0210"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := c.EnableKeyRotation(&model.EnableKeyRotationRequest{Body: operate(tc.id)})
			wantErr(t, err, 400, tc.code)
			wantErr(t, setInterval(nd, tc.id, 30), 400, tc.code)
			// The status answers for every key (Terraform reads it for all).
			if st := rotationStatus(t, c, tc.id); *st.KeyRotationEnabled || *st.RotationInterval != 365 {
				t.Errorf("status: %v", st)
			}
		})
	}
	_, err = c.EnableKeyRotation(&model.EnableKeyRotationRequest{Body: operate("00000000-0000-4000-8000-000000000000")})
	wantErr(t, err, 404, "KMS.0207")
}

// TestScheduledRotation rotates a key five times with the injectable clock
// and checks the counters exactly, that every earlier ciphertext still
// decrypts, and that all of it survives a restart.
func TestScheduledRotation(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	id := createKey(t, c, "scheduled", nil)
	must[*model.EnableKeyRotationResponse](t)(c.EnableKeyRotation(&model.EnableKeyRotationRequest{Body: operate(id)}))
	if err := setInterval(nd, id, 30); err != nil {
		t.Fatal(err)
	}
	cts := map[string]string{} // plaintext -> ciphertext
	for i := 1; i <= 5; i++ {
		pt := "made before rotation " + strconv.Itoa(i)
		cts[pt] = encryptRaw(t, nd, id, pt)
		nd.clock.Advance(30*24*time.Hour - time.Minute)
		nd.runJobs()
		if n := *rotationStatus(t, c, id).NumberOfRotations; n != int32(i-1) {
			t.Fatalf("rotated before the interval elapsed: %d rotations", n)
		}
		nd.clock.Advance(time.Minute)
		nd.runJobs()
		nd.runJobs() // a second pass in the same period does nothing
		st := rotationStatus(t, c, id)
		want := strconv.FormatInt(nd.clock.Now().UnixMilli(), 10)
		if *st.NumberOfRotations != int32(i) || *st.LastRotationTime != want || !*st.KeyRotationEnabled || *st.RotationInterval != 30 {
			t.Fatalf("after rotation %d: %v, want last_rotation_time %s", i, st, want)
		}
	}
	cts["made after the last rotation"] = encryptRaw(t, nd, id, "made after the last rotation")
	checkDecrypts(t, nd, cts)
	nd.restart()
	checkDecrypts(t, nd, cts)
	if st := rotationStatus(t, nd.client(), id); *st.NumberOfRotations != 5 {
		t.Fatalf("after restart: %v", st)
	}
	// Disabled rotation stops the schedule; settings are kept.
	must[*model.DisableKeyRotationResponse](t)(nd.client().DisableKeyRotation(&model.DisableKeyRotationRequest{Body: operate(id)}))
	nd.clock.Advance(100 * 24 * time.Hour)
	nd.runJobs()
	if st := rotationStatus(t, nd.client(), id); *st.NumberOfRotations != 5 || *st.RotationInterval != 30 {
		t.Fatalf("rotated while disabled: %v", st)
	}
}

func encryptRaw(t *testing.T, nd *node, id, pt string) string {
	t.Helper()
	status, _, body := nd.do(http.MethodPost, kmsPath("encrypt-data"), jsonBody(t, map[string]string{"key_id": id, "plain_text": pt}), true, nil)
	if status != 200 {
		t.Fatalf("encrypt-data: %d %s", status, body)
	}
	return field(t, body, "cipher_text")
}

func checkDecrypts(t *testing.T, nd *node, cts map[string]string) {
	t.Helper()
	for pt, ct := range cts {
		status, _, body := nd.do(http.MethodPost, kmsPath("decrypt-data"), jsonBody(t, map[string]string{"cipher_text": ct}), true, nil)
		if status != 200 || field(t, body, "plain_text") != pt {
			t.Fatalf("decrypt %q: %d %s", pt, status, body)
		}
	}
}
