package op

import (
	"fmt"
	"strings"
)

// Markdown renders the catalogue as the table of docs/operations.md.
func Markdown() string {
	var b strings.Builder
	b.WriteString(docHeader)
	for _, o := range catalogue {
		iam := "—"
		if o.IAMAction != "" {
			iam = "`" + o.IAMAction + "`"
			if o.IAMInferred() {
				iam += " (inferred)"
			}
		}
		aliases := "—"
		if a := o.IAMAliases(); len(a) > 0 {
			aliases = "`" + strings.Join(a, "`, `") + "`"
		}
		sdk := o.SDK
		if sdk == "" {
			sdk = "—"
		}
		fmt.Fprintf(&b, "| `%s` | %s | `%s %s` | %d | %s | %s | %s | %s | %s |\n", o.Name, sdk, o.Method,
			o.Path, o.SuccessStatus(), authWord[o.Auth], iam, aliases, yes(o.Grantable), yes(o.Writes))
	}
	return b.String()
}

var authWord = map[Auth]string{Public: "public", Identity: "identity", Project: "project"}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return ""
}

const docHeader = `# Operations

<!-- Generated from internal/op by ` + "`go test ./internal/op -update`" + `; do not edit. -->

Every operation kmsd serves, from its catalogue (` + "`internal/op`" + `), from which the route table,
audit and metrics names, grant operations, the replay guard's scope and IAM actions derive.

* **SDK**: the ` + "`KmsClient`" + ` (or ` + "`IamClient`" + `) method of huaweicloud-sdk-go-v3 that calls it.
* **status**: the HTTP status of a successful response.
* **IAM action**: the action of Huawei's identity-policy reference ("Actions Supported by Identity
  Policy-based Authorization (KMS)", support.huaweicloud.com/api-dew/Permission.html, 2025, and the
  "授权信息" block of each API's page). "(inferred)" marks operations whose page we could not read; the name
  follows the pattern of the documented ones. Account-level operations name no key and use ` + "`kms::…`" + `.
  The IAM management operations carry Huawei IAM's ` + "`iam:…`" + ` actions ([permissions.md](permissions.md)).
* **Legacy aliases**: the coarser names of Huawei's older role/policy reference ("Permissions Policies and
  Supported Actions", dew_02_0309, 2019-2021), which the new pages list as aliases policies may still use.
* **Grantable**: a grant may list it (in the operations of create-grant). **Writes**: it changes state; the replay
  guard's ` + "`writes`" + ` scope, and audited before the response.

| operation | SDK | route | status | auth | IAM action | legacy aliases | grantable | writes |
|---|---|---|---|---|---|---|---|---|
`
