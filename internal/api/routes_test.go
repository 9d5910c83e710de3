package api

import (
	"net/http"
	"testing"
)

// The replay guard's default scope relies on changesState: every PUT and
// DELETE changes state, no GET does, and neither does the data plane.
func TestChangesStateMarks(t *testing.T) {
	readOnlyPosts := map[string]bool{"describe-key": true, "list-keys": true, "encrypt-data": true,
		"decrypt-data": true, "create-datakey": true, "sign": true, "list-grants": true, "list-kms-by-tags": true}
	for _, rt := range (&Server{}).routes() {
		switch {
		case (rt.method == http.MethodPut || rt.method == http.MethodDelete) && !rt.changesState:
			t.Errorf("%s %s (%s) is not marked as changing state", rt.method, rt.path, rt.name)
		case rt.method == http.MethodGet && rt.changesState:
			t.Errorf("GET %s (%s) is marked as changing state", rt.path, rt.name)
		case readOnlyPosts[rt.name] && rt.changesState:
			t.Errorf("%s is marked as changing state", rt.name)
		}
	}
}
