package e2e

import (
	"errors"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"
)

// TestUnknownAccessKeyLooksLikeAWrongSignature: the 401 for an access key
// that does not exist is the 401 for a wrong secret key, so that probing
// does not tell which access keys exist.
func TestUnknownAccessKeyLooksLikeAWrongSignature(t *testing.T) {
	nd := startNode(t)
	answer := func(ak, sk string) *sdkerr.ServiceResponseError {
		_, err := nd.clientFor(ak, sk, testProject).ShowUserInstances(&model.ShowUserInstancesRequest{})
		var se *sdkerr.ServiceResponseError
		if !errors.As(err, &se) || se.StatusCode != 401 {
			t.Fatalf("want a 401, got %v", err)
		}
		return se
	}
	unknown := answer("NOSUCHAK000000000000", testSK)
	wrong := answer(testAK, testSK+"x")
	if unknown.ErrorCode != wrong.ErrorCode || unknown.ErrorMessage != wrong.ErrorMessage {
		t.Fatalf("unknown access key: %s %q; wrong signature: %s %q",
			unknown.ErrorCode, unknown.ErrorMessage, wrong.ErrorCode, wrong.ErrorMessage)
	}
}
