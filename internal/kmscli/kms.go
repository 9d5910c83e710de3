// Package kmscli is kmsd's client command line: "kmsd kms OPERATION
// [--param=value ...]" calls any operation of the API by its SDK name with
// KooCLI's parameter conventions, and "kmsd encrypt", "kmsd decrypt" and
// "kmsd keys" are conveniences over it. The operations, their routes and
// parameters are data derived from the catalogue and the server's request
// types (table.go); requests are signed as the SDK signs them.
package kmscli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/jmespath-community/go-jmespath"
)

// ErrUsage is returned, after the usage was printed, for a wrong command line.
var ErrUsage = errors.New("usage")

// globals are the flags of every client command.
type globals struct {
	connection
	output, query string
	help          bool
}

// globalFlags names the flags that are not an operation's parameters.
var globalFlags = map[string]string{
	"endpoint":   "base URL of kmsd (default: $" + EnvRegionPfx + "<REGION>)",
	"region":     "region whose " + EnvRegionPfx + "<REGION> is the endpoint",
	"project-id": "project id (default $" + EnvProjectID + ")",
	"token":      "IAM token sent as X-Auth-Token instead of an AK/SK signature (default $" + EnvToken + ")",
	"output":     "json (compact), pretty (indented; the default on a terminal) or text (strings unquoted)",
	"query":      "JMESPath expression selecting what to print (key_info.key_id)",
}

// set assigns a global flag; false when name is none.
func (g *globals) set(name, v string) bool {
	switch name {
	case "endpoint":
		g.endpoint = v
	case "region":
		g.region = v
	case "project-id":
		g.projectID = v
	case "token":
		g.token = v
	case "output":
		g.output = v
	case "query":
		g.query = v
	default:
		return false
	}
	return true
}

// parseArgs splits args into the global flags, the other --name=value
// pairs (in order) and the positional arguments. "--name value" is
// accepted too; -h and --help ask for help.
func parseArgs(args []string) (g globals, params [][2]string, pos []string, err error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "-h" || a == "--help" || a == "-help" {
			g.help = true
			continue
		}
		name, ok := strings.CutPrefix(a, "--")
		if !ok || name == "" {
			pos = append(pos, a)
			continue
		}
		name, v, hasValue := strings.Cut(name, "=")
		if !hasValue {
			if i+1 == len(args) {
				return g, nil, nil, fmt.Errorf("--%s needs a value (--%s=VALUE)", name, name)
			}
			i++
			v = args[i]
		}
		if !g.set(name, v) {
			params = append(params, [2]string{name, v})
		}
	}
	switch g.output {
	case "", "json", "pretty", "text":
	default:
		return g, nil, nil, fmt.Errorf("--output must be json, pretty or text, not %q", g.output)
	}
	return g, params, pos, nil
}

// Kms runs "kmsd kms ARGS".
func Kms(ctx context.Context, args []string, env Env) error {
	g, params, pos, err := parseArgs(args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		if g.help {
			printOperations(env.Stdout)
			return nil
		}
		printOperations(env.Stderr)
		return ErrUsage
	}
	o, ok := Lookup(pos[0])
	if !ok {
		return fmt.Errorf("no operation %q: kmsd kms --help lists them", pos[0])
	}
	if g.help {
		printOperation(env.Stdout, o)
		return nil
	}
	if len(pos) > 1 {
		return fmt.Errorf("unexpected argument %q: parameters are --name=value", pos[1])
	}
	vs := &values{stdin: env.Stdin}
	given := map[string]string{}
	for _, p := range params {
		if _, dup := given[p[0]]; dup {
			return fmt.Errorf("--%s is given twice", p[0])
		}
		v, err := vs.read(p[1])
		if err != nil {
			return fmt.Errorf("--%s: %w", p[0], err)
		}
		given[p[0]] = v
	}
	req, err := build(o, given)
	if err != nil {
		return err
	}
	cl, err := g.client(env)
	if err != nil {
		return err
	}
	resp, err := cl.Do(ctx, o, req)
	if err != nil {
		return err
	}
	return g.print(env, responseDoc(resp))
}

// responseDoc is what an operation prints: its body, and for the IAM
// token operations the token of the X-Subject-Token header as a field of
// that name.
func responseDoc(r *Response) []byte {
	tok := r.Header.Get("X-Subject-Token")
	if tok == "" || len(bytes.TrimSpace(r.Body)) == 0 {
		return r.Body
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(r.Body, &m) != nil {
		return r.Body
	}
	m["X-Subject-Token"], _ = json.Marshal(tok)
	b, _ := json.Marshal(m)
	return b
}

// print writes a JSON document as --output and --query ask: nothing for
// an empty body (204).
func (g globals) print(env Env, doc []byte) error {
	if len(bytes.TrimSpace(doc)) == 0 {
		return nil
	}
	if g.query != "" {
		var v any
		if err := json.Unmarshal(doc, &v); err != nil {
			return fmt.Errorf("the response is not JSON: %w", err)
		}
		res, err := jmespath.Search(g.query, v)
		if err != nil {
			return fmt.Errorf("--query: %w", err)
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(res); err != nil {
			return err
		}
		doc = buf.Bytes()
	}
	return writeJSON(env.Stdout, doc, g.mode(env))
}

func (g globals) mode(env Env) string {
	if g.output == "" && env.Terminal {
		return "pretty"
	}
	if g.output == "" {
		return "json"
	}
	return g.output
}

// writeJSON writes doc compact, indented, or (text) a string unquoted and
// each string of a list of strings on its own line.
func writeJSON(w io.Writer, doc []byte, mode string) error {
	var buf bytes.Buffer
	switch mode {
	case "text":
		var s string
		var ss []string
		if json.Unmarshal(doc, &s) == nil {
			_, err := fmt.Fprintln(w, s)
			return err
		}
		if json.Unmarshal(doc, &ss) == nil {
			_, err := fmt.Fprint(w, strings.Join(append(ss, ""), "\n"))
			return err
		}
		fallthrough
	case "json":
		if err := json.Compact(&buf, doc); err != nil {
			return fmt.Errorf("the response is not JSON: %w", err)
		}
	default:
		if err := json.Indent(&buf, doc, "", "  "); err != nil {
			return fmt.Errorf("the response is not JSON: %w", err)
		}
	}
	buf.WriteByte('\n')
	_, err := w.Write(buf.Bytes())
	return err
}
