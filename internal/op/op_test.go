package op

import (
	"flag"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/kmsd/kmsd/internal/testkit/golden"
)

// The replay guard's default scope and the audit trail rely on Writes:
// every PUT and DELETE writes, no GET does, and neither does the data
// plane; every write is audited before it is acknowledged.
func TestWritesMarks(t *testing.T) {
	readOnlyPosts := map[Name]bool{DescribeKey: true, ListKeys: true, EncryptData: true, DecryptData: true,
		CreateDatakey: true, Sign: true, ListGrants: true, ListKmsByTags: true, GetKeyRotationStatus: true}
	for _, o := range All() {
		switch {
		case (o.Method == http.MethodPut || o.Method == http.MethodDelete) && !o.Writes:
			t.Errorf("%s %s (%s) is not marked as a write", o.Method, o.Path, o.Name)
		case o.Method == http.MethodGet && o.Writes:
			t.Errorf("GET %s (%s) is marked as a write", o.Path, o.Name)
		case readOnlyPosts[o.Name] && o.Writes:
			t.Errorf("%s is marked as a write", o.Name)
		case o.Writes != o.AuditFirst:
			t.Errorf("%s: Writes %v but AuditFirst %v", o.Name, o.Writes, o.AuditFirst)
		}
	}
}

// successStatuses are the statuses Huawei's API answers on success.
var successStatuses = map[int]bool{http.StatusOK: true, http.StatusCreated: true, http.StatusNoContent: true}

var (
	actionName = regexp.MustCompile(`^[a-z]+(-[a-z0-9]+)*$`)
	sdkName    = regexp.MustCompile(`^[A-Z][A-Za-z]+$`)
)

// Every entry is complete and unique: a name, a method and path, an SDK
// method (but for kmsd's own healthz), a kms: IAM action for every project
// operation, iam: actions only on identity operations.
func TestCatalogueEntries(t *testing.T) {
	names, routes, sdks := map[Name]bool{}, map[string]bool{}, map[string]bool{}
	for _, o := range All() {
		route := o.Method + " " + o.Path
		switch {
		case !actionName.MatchString(string(o.Name)):
			t.Errorf("%q is not an action name", o.Name)
		case names[o.Name]:
			t.Errorf("%s appears twice", o.Name)
		case routes[route]:
			t.Errorf("%s: route %s is taken", o.Name, route)
		case o.SDK == "" && o.Name != Healthz && o.Name != Readyz, o.SDK != "" && !sdkName.MatchString(o.SDK):
			t.Errorf("%s: SDK method %q", o.Name, o.SDK)
		case o.SDK != "" && sdks[o.SDK]:
			t.Errorf("%s: SDK method %s appears twice", o.Name, o.SDK)
		case o.Auth == Project && !strings.HasPrefix(o.IAMAction, "kms:"):
			t.Errorf("%s has no KMS IAM action", o.Name)
		case o.Auth == Public && o.IAMAction != "":
			t.Errorf("%s is public but has IAM action %s", o.Name, o.IAMAction)
		case o.Auth == Identity && o.IAMAction != "" && !strings.HasPrefix(o.IAMAction, "iam:"):
			t.Errorf("%s is an identity operation with a non-IAM action %s", o.Name, o.IAMAction)
		case !successStatuses[o.SuccessStatus()]:
			t.Errorf("%s: success status %d", o.Name, o.SuccessStatus())
		}
		names[o.Name], routes[route], sdks[o.SDK] = true, true, true
		if got, ok := Lookup(o.Name); !ok || got != o {
			t.Errorf("Lookup(%s) = %v, %v", o.Name, got, ok)
		}
	}
}

// The grantable operations are the nine management-api.md §6 lists.
func TestGrantableNames(t *testing.T) {
	want := []string{"describe-key", "encrypt-data", "decrypt-data", "create-datakey",
		"create-datakey-without-plaintext", "encrypt-datakey", "decrypt-datakey", "create-grant", "retire-grant"}
	got := GrantableNames()
	if len(got) != len(want) {
		t.Fatalf("grantable %v, want %v", got, want)
	}
	for _, w := range want {
		if o, ok := Lookup(Name(w)); !ok || !o.Grantable {
			t.Errorf("%s is not grantable", w)
		}
	}
}

var update = flag.Bool("update", false, "rewrite docs/operations.md and docs/permissions.md")

// docs/operations.md is generated from the catalogue and must not drift.
func TestOperationsDoc(t *testing.T) {
	golden.Check(t, "../../docs/operations.md", Markdown(), *update, "go test ./internal/op -update")
}

// Every alias and inference names a project operation of the catalogue.
func TestIAMTablesNameProjectOperations(t *testing.T) {
	for n := range legacyActions {
		if o, ok := Lookup(n); !ok || o.Auth != Project {
			t.Errorf("legacy actions for %s, which is not a project operation", n)
		}
	}
	for n := range inferredActions {
		if o, ok := Lookup(n); !ok || o.Auth != Project {
			t.Errorf("inferred action for %s, which is not a project operation", n)
		}
	}
}

// docs/permissions.md is generated from the catalogue and must not drift.
func TestPermissionsDoc(t *testing.T) {
	golden.Check(t, "../../docs/permissions.md", PermissionsMarkdown(), *update, "go test ./internal/op -update")
}
