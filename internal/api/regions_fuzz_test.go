package api

import (
	"testing"

	"github.com/kmsd/kmsd/internal/wire"
)

// regionDTOs returns a fresh value of every multi-region and keystore
// request DTO, for fuzzing.
func regionDTOs() []wire.Request {
	return []wire.Request{
		&wire.ReplicateReq{}, &wire.ReplicateReq{PathKeyID: "0d0466b0-e727-4d9c-b35d-f84bb474a37f"},
		&wire.PrimaryRegionReq{PathKeyID: "0d0466b0-e727-4d9c-b35d-f84bb474a37f"}, &wire.CreateKeystoreReq{},
	}
}

// FuzzRegionRequests feeds arbitrary bodies to the multi-region and keystore DTOs.
func FuzzRegionRequests(f *testing.F) {
	fuzzRequests(f, regionDTOs,
		`{"key_id":"0d0466b0-e727-4d9c-b35d-f84bb474a37f","replica_region":"local-2","replica_project_id":"p","key_alias":"a","tags":[{"key":"k","value":"v"},{"key":"k"}]}`,
		`{"key_id":"0d0466b0-e727-4d9c-b35d-f84bb474a37f","primary_region":"local-2"}`,
		`{"keystore_alias":"ks","keystore_type":"DHSM","hsm_cluster_id":"c","cluster_id":"0"}`)
}

// FuzzPageQuery feeds arbitrary limit and offset query values.
func FuzzPageQuery(f *testing.F) {
	f.Add("", "")
	f.Add("100", "-1")
	f.Add("1e3", "99999999999999999999")
	f.Fuzz(func(t *testing.T, limit, offset string) {
		q := wire.ListKeystoresReq{PageQuery: wire.PageQuery{Limit: limit, Offset: offset}} // limit 0-1000, default 10
		fuzzRequests4xx(t, q.Validate())
	})
}
