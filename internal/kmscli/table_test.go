package kmscli

import (
	"strings"
	"testing"

	"github.com/kmsd/kmsd/internal/op"
)

// Every operation of the catalogue with an SDK method is a command, with
// its route; kmsd's own probes, healthz and readyz, are the only ones
// without.
func TestEveryCatalogueOperationHasACommand(t *testing.T) {
	for _, o := range op.All() {
		c, ok := Lookup(o.SDK)
		switch {
		case o.SDK == "" && o.Name != op.Healthz && o.Name != op.Readyz:
			t.Errorf("%s has no SDK method", o.Name)
		case o.SDK == "":
		case !ok:
			t.Errorf("%s (SDK %s) has no command", o.Name, o.SDK)
		case c.Op != o:
			t.Errorf("%s: command has %v, catalogue %v", o.SDK, c.Op, o)
		}
	}
	if got, want := len(Operations()), len(op.All())-2; got != want {
		t.Errorf("%d commands, want %d", got, want)
	}
}

// Parameters and the global flags never share a name, every path
// parameter of a route is a parameter, and a required list element is
// reachable.
func TestParameters(t *testing.T) {
	for _, o := range Operations() {
		seen := map[string]bool{}
		for _, p := range o.Params {
			if _, ok := globalFlags[p.Name]; ok {
				t.Errorf("%s: parameter %s is a global flag", o.Name, p.Name)
			}
			if seen[p.Name] {
				t.Errorf("%s: parameter %s twice", o.Name, p.Name)
			}
			seen[p.Name] = true
		}
		for _, m := range pathParam.FindAllStringSubmatch(o.Op.Path, -1) {
			if p, ok := o.Param(m[1]); m[1] != "project_id" && (!ok || p.In != InPath) {
				t.Errorf("%s: path parameter %s missing", o.Name, m[1])
			}
		}
	}
	c, _ := Lookup("CreateKey")
	if p, ok := c.Param("key_alias"); !ok || !p.Required || p.Kind != String || p.In != InBody {
		t.Errorf("CreateKey key_alias: %+v", p)
	}
	c, _ = Lookup("CreateRsaDatakeyPair")
	if p, _ := c.Param("with_plain_text"); p.Kind != Boolean {
		t.Errorf("with_plain_text: %+v", p)
	}
}

// The request of KooCLI-style arguments: lists from 1, nested objects,
// typed values, path parameters, JSON members.
func TestBuild(t *testing.T) {
	c, _ := Lookup("BatchCreateKmsTags")
	r, err := build(c, map[string]string{"key_id": "k", "action": "create",
		"tags.1.key": "env", "tags.1.value": "prod", "tags.2.key": "team"})
	if err != nil {
		t.Fatal(err)
	}
	tags := r.Body["tags"].([]any)
	if r.Path["key_id"] != "k" || len(tags) != 2 || tags[1].(map[string]any)["key"] != "team" || r.Body["key_id"] != nil {
		t.Fatalf("request %+v", r)
	}
	for name, given := range map[string]map[string]string{
		"gap":           {"key_id": "k", "tags.1.key": "a", "tags.3.key": "b"},
		"index 0":       {"key_id": "k", "tags.0.key": "a"},
		"unknown":       {"key_id": "k", "colour": "red"},
		"no path param": {"action": "create"},
		"leaf as list":  {"key_id": "k", "action.1": "x"},
	} {
		if _, err := build(c, given); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	c, _ = Lookup("CreateRsaDatakeyPair")
	if _, err := build(c, map[string]string{"with_plain_text": "yes"}); err == nil || !strings.Contains(err.Error(), "boolean") {
		t.Errorf("with_plain_text=yes: %v", err)
	}
	r, err = build(c, map[string]string{"with_plain_text": "false"})
	if err != nil || r.Body["with_plain_text"] != false {
		t.Errorf("with_plain_text=false: %+v, %v", r.Body, err)
	}
	c, _ = Lookup("EncryptData")
	r, err = build(c, map[string]string{"encryption_context.purpose": "test"})
	if err != nil || r.Body["encryption_context"].(map[string]any)["purpose"] != "test" {
		t.Errorf("encryption_context member: %+v, %v", r.Body, err)
	}
	c, _ = Lookup("ReplicateKey")
	r, err = build(c, map[string]string{"key_id": "k"})
	if err != nil || r.Path["key_id"] != "k" || r.Body["key_id"] != "k" {
		t.Errorf("replicate key_id: %+v, %v", r, err)
	}
}
