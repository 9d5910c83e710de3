package kmscli

import (
	"encoding/json"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/kmsd/kmsd/internal/api"
	"github.com/kmsd/kmsd/internal/op"
)

// The table of operations is data, derived once from the catalogue
// (internal/op: name, method, path) and the request type the server decodes
// for each route (api.RequestTypes: body fields by their JSON names and Go
// types, URL parameters by their path and query tags). No operation is
// spelled out here; required parameters come from the SDK's models
// (required.go, generated and checked by a test).

// Kind is a parameter's value type on the wire.
type Kind string

// The kinds a parameter's text converts to.
const (
	String  Kind = "string"
	Integer Kind = "integer"
	Number  Kind = "number"
	Boolean Kind = "boolean"
	JSON    Kind = "json" // any JSON value (encryption_context)
)

// In is where a parameter goes.
type In string

// Parameter locations.
const (
	InPath  In = "path"
	InQuery In = "query"
	InBody  In = "body"
)

// Param is one leaf parameter, named as on the command line: a JSON field
// path with "N" for a list index ("tags.N.key"); a list of scalars ends in
// ".N" ("auth.identity.methods.N").
type Param struct {
	Name     string
	Kind     Kind
	In       In
	Required bool
}

// Operation is one command of "kmsd kms".
type Operation struct {
	// Name is the SDK method (the command's name): CreateKey.
	Name string
	Op   op.Op
	// Params lists path, query and body parameters, in that order; body
	// parameters in field order.
	Params []Param
	// Body is the request type whose JSON fields form the body, nil when
	// the request has no body.
	Body reflect.Type
}

// Param returns the parameter called name ("tags.N.key").
func (o Operation) Param(name string) (Param, bool) {
	i := slices.IndexFunc(o.Params, func(p Param) bool { return p.Name == name })
	if i < 0 {
		return Param{}, false
	}
	return o.Params[i], true
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// Operations returns every operation of the catalogue that has an SDK
// method, in catalogue order.
func Operations() []Operation { return slices.Clone(operations) }

// Lookup returns the operation whose SDK method is name.
func Lookup(name string) (Operation, bool) {
	i := slices.IndexFunc(operations, func(o Operation) bool { return o.Name == name })
	if i < 0 {
		return Operation{}, false
	}
	return operations[i], true
}

var operations = buildTable()

func buildTable() []Operation {
	types := api.RequestTypes()
	var out []Operation
	for _, o := range op.All() {
		if o.SDK == "" {
			continue
		}
		out = append(out, newOperation(o, types[o.Name]))
	}
	return out
}

func newOperation(o op.Op, rt reflect.Type) Operation {
	c := Operation{Name: o.SDK, Op: o}
	for _, m := range pathParam.FindAllStringSubmatch(o.Path, -1) {
		if m[1] != "project_id" {
			c.Params = append(c.Params, Param{Name: m[1], Kind: String, In: InPath, Required: true})
		}
	}
	if rt == nil {
		return c
	}
	c.Params = append(c.Params, queryParams(rt)...)
	body := bodyParams(rt, "")
	if len(body) > 0 {
		c.Body = rt
	}
	req := required[o.SDK]
	for _, p := range body {
		if _, dup := c.Param(p.Name); dup {
			continue // a path parameter also in the body (replicate-key's key_id): one value fills both
		}
		p.Required = slices.Contains(req, p.Name)
		c.Params = append(c.Params, p)
	}
	return c
}

// queryParams lists the query-tagged fields of t, embedded ones included.
func queryParams(t reflect.Type) []Param {
	var out []Param
	for _, sf := range reflect.VisibleFields(t) {
		if name, ok := sf.Tag.Lookup("query"); ok {
			out = append(out, Param{Name: name, Kind: String, In: InQuery})
		}
	}
	return out
}

var rawJSON = reflect.TypeFor[json.RawMessage]()

// bodyParams lists the leaf parameters of struct type t's JSON fields under
// prefix.
func bodyParams(t reflect.Type, prefix string) []Param {
	var out []Param
	for _, f := range jsonFields(t) {
		out = append(out, leafParams(f.typ, prefix+f.name)...)
	}
	return out
}

// leafParams lists the parameters of a value of type t called name.
func leafParams(t reflect.Type, name string) []Param {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == rawJSON {
		return []Param{{Name: name, Kind: JSON, In: InBody}}
	}
	switch t.Kind() {
	case reflect.Struct:
		return bodyParams(t, name+".")
	case reflect.Slice:
		return leafParams(t.Elem(), name+".N")
	}
	return []Param{{Name: name, Kind: kindOf(t), In: InBody}}
}

func kindOf(t reflect.Type) Kind {
	switch t.Kind() {
	case reflect.Bool:
		return Boolean
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return Integer
	case reflect.Float32, reflect.Float64:
		return Number
	case reflect.String:
		return String
	}
	return JSON
}

// jsonField is a field of a request body: its JSON name and Go type.
type jsonField struct {
	name string
	typ  reflect.Type
}

// jsonFields lists the fields encoding/json decodes into struct type t:
// exported fields with a JSON name (untagged fields, those tagged "-" and
// URL parameters are not part of a body), embedded structs' fields promoted.
func jsonFields(t reflect.Type) []jsonField {
	var out []jsonField
	for _, sf := range reflect.VisibleFields(t) {
		tag, tagged := sf.Tag.Lookup("json")
		name, _, _ := strings.Cut(tag, ",")
		if !sf.IsExported() || !tagged || name == "-" || name == "" {
			continue
		}
		if isPromotedThroughTagged(t, sf) {
			continue
		}
		out = append(out, jsonField{name, sf.Type})
	}
	return out
}

// isPromotedThroughTagged reports whether sf is promoted through an
// embedded field that has a JSON name of its own (encoding/json nests such
// a field instead of promoting its fields) or is tagged "-".
func isPromotedThroughTagged(t reflect.Type, sf reflect.StructField) bool {
	for i := 1; i < len(sf.Index); i++ {
		if _, tagged := t.FieldByIndex(sf.Index[:i]).Tag.Lookup("json"); tagged {
			return true
		}
	}
	return false
}
