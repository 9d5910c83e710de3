package iampolicy

import (
	"strings"
	"testing"

	"github.com/kmsd/kmsd/internal/op"
)

func actionsOf(t *testing.T, n op.Name) []string {
	t.Helper()
	o, ok := op.Lookup(n)
	if !ok {
		t.Fatalf("no operation %s", n)
	}
	return append([]string{o.IAMAction}, o.IAMAliases()...)
}

func mustParse(t *testing.T, doc string) Document {
	t.Helper()
	d, err := Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDecide(t *testing.T) {
	keyA := Resource{Region: "local-1", Account: "acct", KeyID: "aaaa"}
	keyB := Resource{Region: "local-1", Account: "acct", KeyID: "bbbb"}
	crypto := mustParse(t, `{"Version":"1.1","Statement":[{"Effect":"Allow",
		"Action":["kms:cmk:encrypt*","kms:cmk:decrypt*"],"Resource":["KMS:*:*:KeyId:aaaa"]}]}`)
	denyEncrypt := mustParse(t, `{"Version":"1.1","Statement":[{"Effect":"Deny","Action":["kms:cmk:encryptData"]}]}`)
	denyOnB := mustParse(t, `{"Version":"1.1","Statement":[{"Effect":"Deny","Action":["kms:*:*"],"Resource":["KMS:*:*:KeyId:bbbb"]}]}`)
	full := mustParse(t, `{"Version":"1.1","Statement":[{"Effect":"Allow","Action":["kms:*:*"]}]}`)
	legacy := mustParse(t, `{"Version":"1.1","Statement":[{"Effect":"Allow","Action":["kms:cmk:crypto"]}]}`)
	for _, tc := range []struct {
		name string
		set  *Set
		op   op.Name
		res  Resource
		want Effect
	}{
		{"nothing allows nothing", Compile(), op.DescribeKey, Resource{}, NoMatch},
		{"admin", AllowAll(), op.CreateKey, Resource{}, Allow},
		{"resource-limited allow at action level", Compile(crypto), op.EncryptData, Resource{}, Allow},
		{"resource-limited allow on its key", Compile(crypto), op.EncryptData, keyA, Allow},
		{"resource-limited allow on another key", Compile(crypto), op.EncryptData, keyB, NoMatch},
		{"pattern matches case-insensitively", Compile(crypto), op.DecryptDatakey, keyA, Allow},
		{"other action", Compile(crypto), op.CreateKey, Resource{}, NoMatch},
		{"deny wins over allow", Compile(full, denyEncrypt), op.EncryptData, keyA, Deny},
		{"deny of one action only", Compile(full, denyEncrypt), op.DecryptData, keyA, Allow},
		{"resource deny not at action level", Compile(full, denyOnB), op.EncryptData, Resource{}, Allow},
		{"resource deny on its key", Compile(full, denyOnB), op.EncryptData, keyB, Deny},
		{"resource deny not on another key", Compile(full, denyOnB), op.EncryptData, keyA, Allow},
		{"legacy alias", Compile(legacy), op.EncryptData, keyA, Allow},
		{"legacy alias does not cover sign", Compile(legacy), op.Sign, keyA, NoMatch},
	} {
		if got := tc.set.Decide(actionsOf(t, tc.op), tc.res); got != tc.want {
			t.Errorf("%s: %s = %v, want %v", tc.name, tc.op, got, tc.want)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	for name, doc := range map[string]string{
		"version":   `{"Version":"2","Statement":[{"Effect":"Allow","Action":["kms:*:*"]}]}`,
		"effect":    `{"Version":"1.1","Statement":[{"Effect":"allow","Action":["kms:*:*"]}]}`,
		"no action": `{"Version":"1.1","Statement":[{"Effect":"Allow","Action":[]}]}`,
		"action":    `{"Version":"1.1","Statement":[{"Effect":"Allow","Action":["kms"]}]}`,
		"resource":  `{"Version":"1.1","Statement":[{"Effect":"Allow","Action":["kms:*:*"],"Resource":["KMS:key"]}]}`,
		"condition": `{"Version":"1.1","Statement":[{"Effect":"Allow","Action":["kms:*:*"],"Condition":{"StringEquals":{"kms:x":["y"]}}}]}`,
		"empty":     `{"Version":"1.1","Statement":[]}`,
		"json":      `{"Version":`,
		"too long":  `{"Version":"1.1","Statement":[{"Effect":"Allow","Action":["` + strings.Repeat("a", MaxDocument) + `"]}]}`,
	} {
		if _, err := Parse([]byte(doc)); err == nil {
			t.Errorf("%s: accepted %s", name, doc)
		}
	}
}

// TestReadOnlyPolicy: KMS CMKReadOnlyAccess allows exactly the operations
// that neither write nor use key material.
func TestReadOnlyPolicy(t *testing.T) {
	var ro Role
	for _, r := range SystemRoles() {
		if r.DisplayName == "KMS CMKReadOnlyAccess" {
			ro = r
		}
	}
	set := Compile(ro.Document)
	for _, o := range op.All() {
		if o.IAMAction == "" {
			continue
		}
		n := string(o.Name)
		readOnly := !o.Writes && (strings.HasPrefix(n, "list-") || strings.HasPrefix(n, "describe-") ||
			strings.HasPrefix(n, "show-") || strings.HasPrefix(n, "user-") || n == "get-publickey" ||
			n == "get-key-rotation-status")
		got := set.Decide(append([]string{o.IAMAction}, o.IAMAliases()...), Resource{}) == Allow
		if got != readOnly {
			t.Errorf("%s (%s): read-only policy allows=%v, want %v", o.Name, o.IAMAction, got, readOnly)
		}
	}
}

func TestGlob(t *testing.T) {
	for _, tc := range []struct {
		p, s string
		want bool
	}{
		{"*", "", true}, {"kms:*:*", "kms::getQuota", true}, {"kms:cmk:*", "kms::getQuota", false},
		{"a*b*c", "aXXbYYc", true}, {"a*b*c", "aXXbYY", false}, {"KMS:*", "kms:cmk:get", true},
		{"kms:cmk:get", "kms:cmk:getPublicKey", false},
	} {
		if got := glob(tc.p, tc.s); got != tc.want {
			t.Errorf("glob(%q, %q) = %v", tc.p, tc.s, got)
		}
	}
}

func TestSystemRoleIDsAreStable(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range SystemRoles() {
		if len(r.ID) != 32 || seen[r.ID] {
			t.Errorf("role %s: id %q", r.DisplayName, r.ID)
		}
		seen[r.ID] = true
		if got, ok := SystemRole(r.ID); !ok || got.DisplayName != r.DisplayName {
			t.Errorf("SystemRole(%s) = %v %v", r.ID, got.DisplayName, ok)
		}
		if err := r.Document.Validate(); err != nil {
			t.Errorf("role %s: %v", r.DisplayName, err)
		}
	}
	if r, _ := SystemRole(systemRoles[0].ID); r.ID != "" && r.ID != newRole("kms_adm", "KMS Administrator", "", "1.0", nil).ID {
		t.Error("ids must derive from the display name only")
	}
}

func BenchmarkDecideAdmin(b *testing.B) {
	s, actions := AllowAll(), []string{"kms:cmk:encryptData", "kms:cmk:crypto"}
	for b.Loop() {
		s.Decide(actions, Resource{KeyID: "k"})
	}
}

func BenchmarkDecidePolicy(b *testing.B) {
	d, _ := Parse([]byte(`{"Version":"1.1","Statement":[{"Effect":"Deny","Action":["kms:cmk:sign"]},
		{"Effect":"Allow","Action":["kms:cmk:list","kms:cmk:get"]},
		{"Effect":"Allow","Action":["kms:cmk:encrypt*","kms:cmk:decrypt*"],"Resource":["KMS:*:*:KeyId:0123456789"]}]}`))
	s, actions := Compile(d), []string{"kms:cmk:decryptData", "kms:cmk:crypto", "kms:cmk:decrypt"}
	res := Resource{Region: "local-1", Account: "acct", KeyID: "0123456789"}
	for b.Loop() {
		s.Decide(actions, res)
	}
}
