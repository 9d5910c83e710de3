package config

import (
	"fmt"
	"strings"
)

// ExampleFile is the configuration file docs/configuration.md shows.
const ExampleFile = `listen: 0.0.0.0:8443
data_dir: /var/lib/kmsd
tls_cert: /etc/kmsd/tls.crt
tls_key: /etc/kmsd/tls.key
print_env: false
limits:
  max_connections: 2048
bootstrap:
  region: local-1
`

// Markdown renders the settings table as docs/configuration.md.
func Markdown() string {
	var b strings.Builder
	b.WriteString(docHeader)
	for _, s := range table {
		flag := "none: " + s.NoFlag
		if s.Flag != "" {
			flag = "`--" + s.Flag + "`"
			if s.Shared {
				flag += " (also admin)"
			}
		}
		def := "—"
		if d := s.Default(); d != "" {
			def = d
			if s.field.shown == "" {
				def = "`" + d + "`"
			}
		}
		fmt.Fprintf(&b, "| `%s` | `%s` | %s | %s | %s | %s |\n", s.Key, s.Env, flag, s.Kind(), def,
			strings.ReplaceAll(s.Doc, "|", `\|`))
	}
	return b.String()
}

const docHeader = `# Configuration

<!-- Generated from internal/config by ` + "`go test ./internal/config -update`" + `; do not edit. -->

Every setting of ` + "`kmsd serve`" + `, from the settings table of ` + "`internal/config`" + ` (` + "`settings.go`" + `),
from which the defaults, the environment and flag loading and ` + "`kmsd serve -h`" + ` are produced as well.

Each setting is read from four sources; each later one wins over the ones before:

1. the built-in default;
2. the YAML file named by ` + "`--" + FileFlag + " FILE`" + ` or ` + "`" + FileEnv + "`" + ` (nested keys: ` + "`limits.max_connections`" + ` is
   ` + "`max_connections:`" + ` under ` + "`limits:`" + `; unknown keys are errors);
3. the environment variable;
4. the flag, given as ` + "`--name value`" + ` or ` + "`--name=value`" + `.

Values: a **duration** is Go's syntax (` + "`30s`" + `, ` + "`15m`" + `, ` + "`1h30m`" + `). A **bool** is ` + "`true`" + ` or ` + "`false`" + `
(in the environment and flags also the other forms of Go's ` + "`strconv.ParseBool`" + `, such as ` + "`1`" + `
and ` + "`0`" + `); its flag may be given bare (` + "`--print-env`" + ` means ` + "`--print-env=true`" + `), so write
` + "`--print-env=false`" + ` with the ` + "`=`" + `. An **optional bool** is a bool whose unset default means something of
its own. The result is checked before anything is opened: an invalid combination stops ` + "`kmsd serve`" + `
with every problem found.

The ` + "`bootstrap.*`" + ` settings name the identities every start ensures exist, creating what is missing (the
first start creates them all; see the README's quick start).

The YAML keys are the first column below, which is not always the flag's name (` + "`data_dir`" + ` for
` + "`--data`" + `, ` + "`postgres`" + ` for ` + "`--postgres-dsn`" + `, ` + "`bootstrap.region`" + ` for ` + "`--region`" + `). For example,
` + "`kmsd serve --config kmsd.yaml`" + ` with this ` + "`kmsd.yaml`" + ` (a test loads it):

` + "```yaml\n" + ExampleFile + "```" + `

The flags marked *also admin* are flags of ` + "`kmsd admin …`" + ` and ` + "`kmsd audit verify`" + ` as well, which open the same store,
root key and audit trail; those commands read every other setting from the file and the environment only.

| YAML key | environment | flag | type | default | what |
|---|---|---|---|---|---|
`
