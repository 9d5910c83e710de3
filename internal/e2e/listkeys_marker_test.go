package e2e

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"
)

// TestListKeysMarkers: next_marker is an opaque keyset marker, so that a key
// leaving an earlier page (here: the enabled keys) shifts nothing; a numeric marker from an old
// client is still a position; a marker that is neither is KMS.1602.
func TestListKeysMarkers(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	var ids []string
	for i := range 5 {
		ids = append(ids, createKey(t, c, "mark-"+strconv.Itoa(i), nil))
		nd.clock.Advance(time.Millisecond)
	}
	list := func(marker string) *model.ListKeysResponse {
		t.Helper()
		body := model.ListKeysRequestBody{Limit: ptr("2"), KeyState: ptr("2")}
		if marker != "" {
			body.Marker = &marker
		}
		return must[*model.ListKeysResponse](t)(c.ListKeys(&model.ListKeysRequest{Body: &body}))
	}
	first := list("")
	if !slices.Equal(*first.Keys, ids[:2]) || first.Truncated.Value() != "true" {
		t.Fatalf("first page: %v", *first.Keys)
	}
	if _, err := strconv.Atoi(*first.NextMarker); err == nil {
		t.Errorf("next_marker %q is a position, want a keyset marker", *first.NextMarker)
	}
	// A listed key leaving the list does not move the next page.
	must[*model.DeleteKeyResponse](t)(scheduleDeletion(c, ids[0], "7"))
	next := list(*first.NextMarker)
	if !slices.Equal(*next.Keys, ids[2:4]) || *next.Total != 4 {
		t.Errorf("page after the marker: %v (total %d), want %v", *next.Keys, *next.Total, ids[2:4])
	}
	last := list(*next.NextMarker)
	if !slices.Equal(*last.Keys, ids[4:]) || last.Truncated.Value() != "false" || *last.NextMarker != "" {
		t.Errorf("last page: %v, truncated %s, next %q", *last.Keys, last.Truncated.Value(), *last.NextMarker)
	}
	// An old client's position.
	if pos := list("2"); !slices.Equal(*pos.Keys, ids[3:5]) || pos.Truncated.Value() != "false" {
		t.Errorf("marker 3: %v, truncated %s", *pos.Keys, pos.Truncated.Value())
	}
	for _, bad := range []string{"k1", "k1%%", "x", "-2"} {
		_, err := c.ListKeys(&model.ListKeysRequest{Body: &model.ListKeysRequestBody{Limit: ptr("2"), Marker: ptr(bad)}})
		wantErr(t, err, 400, "KMS.1602")
	}
}
