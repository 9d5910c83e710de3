package op

import (
	"fmt"
	"strings"
)

// PermissionsMarkdown renders docs/permissions.md: the IAM action of every
// operation that has one, which identity policies are evaluated against.
func PermissionsMarkdown() string {
	var b strings.Builder
	b.WriteString(permissionsHeader)
	for _, section := range []struct {
		title string
		auth  Auth
	}{{"KMS operations", Project}, {"IAM operations", Identity}} {
		fmt.Fprintf(&b, "\n## %s\n\n| operation | route | IAM action | also authorized by | source |\n|---|---|---|---|---|\n", section.title)
		for _, o := range catalogue {
			if o.Auth != section.auth || o.IAMAction == "" && section.auth == Identity && o.Name != IAMUpdateUserPassword {
				continue
			}
			action, source := "`"+o.IAMAction+"`", "Huawei"
			switch {
			case o.IAMAction == "":
				action, source = "— (the user itself only)", "Huawei"
			case o.IAMInferred():
				source = "inferred"
			case section.auth == Identity:
				source = "Huawei's naming"
			}
			aliases := "—"
			if a := o.IAMAliases(); len(a) > 0 {
				aliases = "`" + strings.Join(a, "`, `") + "`"
			}
			fmt.Fprintf(&b, "| `%s` | `%s %s` | %s | %s | %s |\n", o.Name, o.Method, o.Path, action, aliases, source)
		}
	}
	return b.String()
}

const permissionsHeader = `# Permissions

<!-- Generated from internal/op by ` + "`go test ./internal/op -update`" + `; do not edit. -->

Every KMS call is authorized by its IAM action, and every IAM management call by its own ([iam.md](iam.md)
explains how policies are evaluated). A policy statement matches an operation when one of its ` + "`Action`" + `
patterns matches the operation's IAM action or one of the older names that also authorize it.

* **IAM action**: for KMS, the action of Huawei's "Actions Supported by Identity Policy-based
  Authorization (KMS)" (DEW API reference, 2025) and of each API page's authorization block; "inferred"
  marks the operations whose page we could not read, named after the pattern of the documented ones.
  Account-level operations name no key (` + "`kms::…`" + `). For IAM, the ` + "`iam:<resource>:<verb>`" + ` names of Huawei
  IAM's fine-grained actions.
* **also authorized by**: the coarser names of Huawei's older "Permissions Policies and Supported Actions"
  page (2019-2021), which policies may still use.
* A policy ` + "`Resource`" + ` of the form ` + "`KMS:<region>:<account id>:KeyId:<key id>`" + ` (each part may be ` + "`*`" + `
  or contain ` + "`*`" + `) limits a statement to keys; it applies to every KMS operation whose request names a
  key, and is ignored (the statement counts as allowing) when kmsd decides on the action alone.
`
