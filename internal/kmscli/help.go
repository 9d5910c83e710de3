package kmscli

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/kmsd/kmsd/internal/op"
)

// printOperations writes "kmsd kms --help": every operation, by family of
// route.
func printOperations(w io.Writer) {
	fmt.Fprint(w, `Usage: kmsd kms OPERATION [--param=value ...] [flags]

Calls one operation of the Huawei Cloud KMS API (or kmsd's IAM subset) by its SDK name, with the
request's JSON field names as parameters, KooCLI-style: --tags.1.key=env --tags.1.value=prod.
"kmsd kms OPERATION --help" lists an operation's parameters.

Operations:
`)
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	for _, o := range Operations() {
		fmt.Fprintf(tw, "  %s\t%s %s\t%s\n", o.Name, o.Op.Method, displayPath(o.Op.Path), o.Op.Name)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nFlags:")
	printGlobals(w)
}

func printGlobals(w io.Writer) {
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	for _, n := range slices.Sorted(maps.Keys(globalFlags)) {
		fmt.Fprintf(tw, "  --%s\t%s\n", n, globalFlags[n])
	}
	tw.Flush()
	fmt.Fprintf(w, `
Credentials: %s and %s (an SDK-HMAC-SHA256 signature, as the SDK signs), or a token.
A value @FILE is read from FILE, - or @- from standard input.
`, EnvAK, EnvSK)
}

func displayPath(p string) string { return strings.TrimSuffix(p, "{$}") }

// printOperation writes "kmsd kms OPERATION --help".
func printOperation(w io.Writer, o Operation) {
	fmt.Fprintf(w, "Usage: kmsd kms %s [--param=value ...] [flags]\n\n%s %s (%s)", o.Name, o.Op.Method, displayPath(o.Op.Path), o.Op.Name)
	if o.Op.IAMAction != "" {
		fmt.Fprintf(w, ", IAM action %s", o.Op.IAMAction)
	}
	fmt.Fprintln(w)
	if len(o.Params) == 0 {
		fmt.Fprintln(w, "\nNo parameters.")
	} else {
		fmt.Fprintln(w, "\nParameters (N: a list index, from 1):")
		tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
		for _, p := range o.Params {
			line := fmt.Sprintf("  --%s\t%s\t%s", p.Name, p.Kind, p.In)
			if p.Required {
				line += "\trequired"
			}
			fmt.Fprintln(tw, line)
		}
		tw.Flush()
	}
	if o.Op.Auth == op.Public {
		fmt.Fprintln(w, "\nNo credential needed.")
	}
	fmt.Fprintln(w, "\nFlags:")
	printGlobals(w)
}
