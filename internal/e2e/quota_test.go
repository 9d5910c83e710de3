package e2e

import (
	"fmt"
	"sync"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"

	"github.com/kmsd/kmsd/internal/config"
)

// concurrently runs fn(i) for i in [0, n) at once and returns the errors.
func concurrently(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = fn(i)
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

// tally counts successes and checks every failure is HTTP 400 code.
func tally(t *testing.T, errs []error, code string) int {
	t.Helper()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
			continue
		}
		if se, isSE := err.(*sdkerr.ServiceResponseError); !isSE || se.StatusCode != 400 || se.ErrorCode != code {
			t.Errorf("want nil or 400 %s, got %v", code, err)
		}
	}
	return ok
}

func TestConcurrentCreateKeyQuota(t *testing.T) {
	nd := startNode(t, func(c *config.Config) { c.KeyQuota = 5 })
	c := nd.client()
	errs := concurrently(10, func(i int) error {
		_, err := c.CreateKey(&model.CreateKeyRequest{Body: &model.CreateKeyRequestBody{KeyAlias: fmt.Sprintf("q%d", i)}})
		return err
	})
	if ok := tally(t, errs, "KMS.1105"); ok != 5 {
		t.Fatalf("%d keys created with quota 5", ok)
	}
	q := must[*model.ShowUserQuotasResponse](t)(c.ShowUserQuotas(&model.ShowUserQuotasRequest{}))
	for _, r := range *q.Quotas.Resources {
		if r.Type.Value() == "CMK" && (*r.Used != 5 || *r.Quota != 5) {
			t.Errorf("CMK used %d quota %d, want 5/5", *r.Used, *r.Quota)
		}
	}
}

func TestConcurrentCreateAliasSameName(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	var ids []string
	for i := range 10 {
		ids = append(ids, createKey(t, c, fmt.Sprintf("a%d", i), nil))
	}
	errs := concurrently(10, func(i int) error {
		_, err := c.CreateAlias(&model.CreateAliasRequest{Body: &model.CreateAliasRequestBody{KeyId: ids[i], Alias: "alias/contended"}})
		return err
	})
	if ok := tally(t, errs, "KMS.1104"); ok != 1 {
		t.Fatalf("%d creations of one alias succeeded", ok)
	}
}

func TestConcurrentGrantQuota(t *testing.T) {
	nd := startNode(t, func(c *config.Config) { c.GrantQuota = 4 })
	c := nd.client()
	id := createKey(t, c, "contended", nil)
	errs := concurrently(10, func(i int) error {
		_, err := createGrant(c, model.CreateGrantRequestBody{KeyId: id, GranteePrincipal: fmt.Sprintf("p%d", i), Operations: []string{"describe-key"}})
		return err
	})
	if ok := tally(t, errs, "KMS.2404"); ok != 4 {
		t.Fatalf("%d grants created with quota 4", ok)
	}
}
