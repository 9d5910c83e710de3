package kmscli

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Arguments are KooCLI's: --name=value (or --name value), where name is a
// parameter's JSON field path and a list element is numbered from 1:
//
//	--tags.1.key=env --tags.1.value=prod --operations.1=describe-key
//
// A value "@FILE" is the contents of FILE, and "-" or "@-" is standard
// input (read once).

// Request is an operation's parameters, converted and placed.
type Request struct {
	Path  map[string]string
	Query map[string]string
	// Body is the JSON body, nil when the operation has none.
	Body map[string]any
}

// values reads parameter values, from files and standard input.
type values struct {
	stdin     io.Reader
	stdinUsed bool
}

// read returns the text of value v: a file's contents for "@FILE",
// standard input for "-" and "@-", else v.
func (vs *values) read(v string) (string, error) {
	switch {
	case v == "-" || v == "@-":
		if vs.stdinUsed {
			return "", fmt.Errorf("standard input is read by only one parameter")
		}
		vs.stdinUsed = true
		b, err := io.ReadAll(vs.stdin)
		return string(b), err
	case strings.HasPrefix(v, "@"):
		b, err := os.ReadFile(v[1:])
		return string(b), err
	}
	return v, nil
}

// build converts given (name → text) into o's request.
func build(o Operation, given map[string]string) (Request, error) {
	r := Request{Path: map[string]string{}, Query: map[string]string{}}
	body := map[string]any{}
	for _, name := range slices.Sorted(maps.Keys(given)) {
		p, rest, err := o.match(name)
		if err != nil {
			return r, err
		}
		v, err := convert(p, rest, given[name])
		if err != nil {
			return r, fmt.Errorf("--%s: %w", name, err)
		}
		switch p.In {
		case InPath:
			r.Path[name] = given[name]
			if o.alsoInBody(name) {
				body[name] = given[name]
			}
		case InQuery:
			r.Query[name] = given[name]
		case InBody:
			if err := place(body, strings.Split(name, "."), v); err != nil {
				return r, fmt.Errorf("--%s: %w", name, err)
			}
		}
	}
	for _, p := range o.Params {
		if _, ok := r.Path[p.Name]; p.In == InPath && !ok {
			return r, fmt.Errorf("%s needs --%s (a path parameter)", o.Name, p.Name)
		}
	}
	if o.Body != nil {
		b, err := lists(body)
		if err != nil {
			return r, err
		}
		r.Body = b.(map[string]any)
	}
	return r, nil
}

// match finds the parameter a command-line name sets: list indexes are
// numbers from 1 ("tags.2.key" is tags.N.key). A name below a json
// parameter ("encryption_context.purpose") sets a string member of that
// object; rest is that member's path.
func (o Operation) match(name string) (p Param, rest []string, err error) {
	segs := strings.Split(name, ".")
	pattern := make([]string, len(segs))
	for i, s := range segs {
		pattern[i] = s
		if n, err := strconv.Atoi(s); err == nil && i > 0 {
			if n < 1 || s != strconv.Itoa(n) {
				return p, nil, fmt.Errorf("--%s: list indexes are numbered from 1", name)
			}
			pattern[i] = "N"
		}
	}
	for i := len(pattern); i > 0; i-- {
		if p, ok := o.Param(strings.Join(pattern[:i], ".")); ok && (i == len(pattern) || p.Kind == JSON) {
			return p, segs[i:], nil
		}
	}
	return p, nil, fmt.Errorf("%s has no parameter --%s (see kmsd kms %s --help)", o.Name, name, o.Name)
}

// alsoInBody reports whether the path parameter name is also a body field
// (replicate-key's key_id, which must equal the path's).
func (o Operation) alsoInBody(name string) bool {
	if o.Body == nil {
		return false
	}
	return slices.ContainsFunc(jsonFields(o.Body), func(f jsonField) bool { return f.name == name })
}

// convert turns text into p's JSON value.
func convert(p Param, rest []string, text string) (any, error) {
	if len(rest) > 0 {
		return text, nil // a member of a json object: a string
	}
	switch p.Kind {
	case Integer:
		if _, err := strconv.ParseInt(text, 10, 64); err != nil {
			return nil, fmt.Errorf("%q is not an integer", text)
		}
		return json.Number(text), nil
	case Number:
		if _, err := strconv.ParseFloat(text, 64); err != nil {
			return nil, fmt.Errorf("%q is not a number", text)
		}
		return json.Number(text), nil
	case Boolean:
		b, err := strconv.ParseBool(text)
		if err != nil {
			return nil, fmt.Errorf("%q is not a boolean (true or false)", text)
		}
		return b, nil
	case JSON:
		if !json.Valid([]byte(text)) {
			return nil, fmt.Errorf("not JSON: give a JSON value, or its members as --%s.NAME=value", p.Name)
		}
		return json.RawMessage(text), nil
	}
	return text, nil
}

// place sets the value at path in tree: objects are maps, lists maps from
// their 1-based index until lists turns them into slices.
func place(tree map[string]any, path []string, v any) error {
	node := tree
	for i, seg := range path[:len(path)-1] {
		next, ok := node[seg]
		if !ok {
			next = map[string]any{}
			node[seg] = next
		}
		m, ok := next.(map[string]any)
		if !ok {
			return fmt.Errorf("%s is given a value and members", strings.Join(path[:i+1], "."))
		}
		node = m
	}
	last := path[len(path)-1]
	if _, ok := node[last]; ok {
		return fmt.Errorf("given twice")
	}
	node[last] = v
	return nil
}

// lists turns the objects whose keys are all list indexes into lists, and
// checks the indexes run from 1 without a gap.
func lists(v any) (any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return v, nil
	}
	indexed := len(m) > 0
	for k := range m {
		if _, err := strconv.Atoi(k); err != nil {
			indexed = false
		}
	}
	for k, e := range m {
		c, err := lists(e)
		if err != nil {
			return nil, err
		}
		m[k] = c
	}
	if !indexed {
		return m, nil
	}
	out := make([]any, len(m))
	for k, e := range m {
		n, _ := strconv.Atoi(k)
		if n < 1 || n > len(m) {
			return nil, fmt.Errorf("list indexes must run from 1 to %d without a gap, got %d", len(m), n)
		}
		out[n-1] = e
	}
	return out, nil
}
