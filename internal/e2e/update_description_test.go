package e2e

import (
	"strings"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"
)

// TestUpdateKeyDescription checks every rule of the UpdateKeyDescription
// page (the seed document) through the official SDK.
func TestUpdateKeyDescription(t *testing.T) {
	nd := startNode(t, withSeed(t, defaultKeySeed))
	c := nd.client()
	id := createKey(t, c, "desc-key", nil)

	t.Run("ok echoes key_id and key_description", func(t *testing.T) {
		resp, err := updateDescription(c, id, "test")
		if err != nil {
			t.Fatal(err)
		}
		if *resp.KeyInfo.KeyId != id || *resp.KeyInfo.KeyDescription != "test" {
			t.Fatalf("key_info = %v", resp.KeyInfo)
		}
		if got := *describe(t, c, id).KeyDescription; got != "test" {
			t.Fatalf("describe-key shows %q", got)
		}
	})
	t.Run("255 Chinese characters are 255, not 765", func(t *testing.T) {
		d := strings.Repeat("密", 255)
		if _, err := updateDescription(c, id, d); err != nil {
			t.Fatal(err)
		}
		if got := *describe(t, c, id).KeyDescription; got != d {
			t.Fatalf("description not stored exactly")
		}
	})
	t.Run("empty description is allowed", func(t *testing.T) {
		if _, err := updateDescription(c, id, ""); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("same value again succeeds", func(t *testing.T) {
		for range 2 {
			if _, err := updateDescription(c, id, "again"); err != nil {
				t.Fatal(err)
			}
		}
	})
	t.Run("256 characters", func(t *testing.T) {
		_, err := updateDescription(c, id, strings.Repeat("密", 256))
		wantErr(t, err, 400, "KMS.1103")
	})
	t.Run("invalid UTF-8 is refused, not replaced", func(t *testing.T) {
		status, h, b := nd.do("POST", kmsPath("update-key-description"), `{"key_id":"`+id+`","key_description":"bad \xff byte"}`, true, nil)
		wantRaw(t, status, h, b, 400, "KMS.0202")
	})
	t.Run("key_id not matching the regex", func(t *testing.T) {
		for _, bad := range []string{"0D0466B0-E727-4D9C-B35D-F84BB474A37F", "0d0466b0e7274d9cb35df84bb474a37f", "0d0466b0-e727-4d9c-b35d-f84bb474a37", "x"} {
			_, err := updateDescription(c, bad, "x")
			wantErr(t, err, 400, "KMS.0205")
		}
	})
	t.Run("missing key_id", func(t *testing.T) {
		_, err := updateDescription(c, "", "x")
		wantErr(t, err, 400, "KMS.0204")
	})
	t.Run("unknown key is 404", func(t *testing.T) {
		_, err := updateDescription(c, "0d0466b0-e727-4d9c-b35d-f84bb474a37f", "x")
		wantErr(t, err, 404, "KMS.0207")
	})
	t.Run("sequence of 36 bytes is accepted, others refused", func(t *testing.T) {
		body := &model.UpdateKeyDescriptionRequestBody{KeyId: id, KeyDescription: "s", Sequence: ptr("919c82d4-8046-4722-9094-35c3c6524cff")}
		if _, err := c.UpdateKeyDescription(&model.UpdateKeyDescriptionRequest{Body: body}); err != nil {
			t.Fatal(err)
		}
		body.Sequence = ptr("919c82d4-8046-4722-9094-35c3c6524cf")
		_, err := c.UpdateKeyDescription(&model.UpdateKeyDescriptionRequest{Body: body})
		wantErr(t, err, 400, "KMS.0206")
	})
	t.Run("default key cannot be changed", func(t *testing.T) {
		_, err := updateDescription(c, defaultKeyID, "x")
		wantErr(t, err, 400, "KMS.0211")
	})
	t.Run("key pending deletion cannot be changed", func(t *testing.T) {
		doomed := createKey(t, c, "doomed", nil)
		if _, err := scheduleDeletion(c, doomed, "7"); err != nil {
			t.Fatal(err)
		}
		_, err := updateDescription(c, doomed, "x")
		wantErr(t, err, 400, "KMS.0210")
		if got := *describe(t, c, doomed).KeyDescription; got != "" {
			t.Fatalf("description changed to %q", got)
		}
	})
	t.Run("missing key_description field", func(t *testing.T) {
		status, _, body := nd.do("POST", kmsPath("update-key-description"), `{"key_id":"`+id+`"}`, true, nil)
		if status != 400 || !strings.Contains(body, "KMS.0204") {
			t.Fatalf("got %d %s", status, body)
		}
	})
}
