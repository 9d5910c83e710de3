package api

import (
	"errors"
	"testing"

	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/wire"
)

// mgmtDTOs returns a fresh value of every rotation, alias, tag and grant
// request DTO, for fuzzing.
func mgmtDTOs() []wire.Request {
	return []wire.Request{
		&wire.KeyRefSeqReq{}, &wire.RotationIntervalReq{}, &wire.CreateAliasReq{}, &wire.DeleteAliasReq{}, &wire.AssociateAliasReq{},
		&wire.CreateTagReq{}, &wire.BatchTagsReq{}, &wire.ResourcesReq{}, &wire.CreateGrantReq{}, &wire.GrantReq{}, &wire.ListGrantsReq{},
		&wire.ListRetirableReq{},
	}
}

// FuzzMgmtRequests feeds arbitrary bodies to every management request DTO.
func FuzzMgmtRequests(f *testing.F) {
	fuzzRequests(f, mgmtDTOs,
		`{"key_id":"alias/app","rotation_interval":30}`,
		`{"key_id":"0d0466b0-e727-4d9c-b35d-f84bb474a37f","aliases":["alias/a","alias/b"]}`,
		`{"alias":"alias/a","target_key_id":"kms:local-1:d:alias:a"}`,
		`{"tag":{"key":"k","value":"v"}}`, `{"action":"create","tags":[{"key":"k"}]}`,
		`{"action":"filter","limit":"10","offset":0,"tags":[{"key":"k","values":["v"]}],"matches":[{"key":"resource_name","value":"x"}]}`,
		`{"key_id":"alias/a","grantee_principal":"abc","operations":["describe-key"],"grantee_principal_type":"domain","name":"n","retiring_principal":"r"}`,
		`{"key_id":"alias/a","grant_id":"0000000000000000000000000000000000000000000000000000000000000000"}`,
		`{"limit":"","marker":""}`)
}

// FuzzListAliasesQuery feeds arbitrary query values to list-aliases.
func FuzzListAliasesQuery(f *testing.F) {
	f.Add("", "", "", "")
	f.Add("alias/a", "10", "alias/b", "object")
	f.Fuzz(func(t *testing.T, key, limit, marker, format string) {
		r := &wire.ListAliasesReq{KeyID: key, Limit: limit, Marker: marker, Format: format}
		fuzzRequests4xx(t, r.Validate())
	})
}

// fuzzRequests4xx fails unless err is nil or a 4xx API error.
func fuzzRequests4xx(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var e *kmserr.Error
	if !errors.As(err, &e) || e.Status < 400 || e.Status >= 500 {
		t.Fatalf("%v is not a 4xx API error", err)
	}
}
