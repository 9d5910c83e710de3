package iampolicy

import "strings"

// Set is the compiled union of the policies that apply to one caller. A
// Set is immutable and safe for concurrent use.
type Set struct {
	all   bool // allows everything, denies nothing (the admin group)
	allow []rule
	deny  []rule
}

type rule struct {
	actions   []string
	resources [][5]string // split patterns; none: every resource
}

// AllowAll is the Set of an account's administrators.
func AllowAll() *Set { return &Set{all: true} }

// Compile unites documents (already validated) into a Set.
func Compile(docs ...Document) *Set {
	s := &Set{}
	for _, d := range docs {
		for _, st := range d.Statement {
			r := rule{actions: st.Action}
			for _, res := range st.Resource {
				if res == "*" {
					r.resources = nil
					break
				}
				var p [5]string
				copy(p[:], strings.SplitN(res, ":", 5))
				r.resources = append(r.resources, p)
			}
			if st.Effect == Deny.String() {
				s.deny = append(s.deny, r)
			} else {
				s.allow = append(s.allow, r)
			}
		}
	}
	return s
}

// AllowsAll reports whether s allows every action on every resource.
func (s *Set) AllowsAll() bool { return s.all }

// Decide answers whether any of actions (an operation's IAM action and
// its aliases) is allowed on res: Deny if a Deny statement matches, else
// Allow if an Allow statement matches, else NoMatch.
//
// For the zero Resource (the action alone, before a key is known), an
// Allow statement matches whatever its resources, and a Deny statement
// only if it names no resource (it denies the action everywhere); the
// decision on a key is made again with its Resource.
func (s *Set) Decide(actions []string, res Resource) Effect {
	if s.all {
		return Allow
	}
	for _, r := range s.deny {
		if r.matches(actions, res, false) {
			return Deny
		}
	}
	for _, r := range s.allow {
		if r.matches(actions, res, true) {
			return Allow
		}
	}
	return NoMatch
}

func (r rule) matches(actions []string, res Resource, anyResource bool) bool {
	if !r.matchesAction(actions) {
		return false
	}
	if len(r.resources) == 0 {
		return true
	}
	if res.zero() {
		return anyResource
	}
	for _, p := range r.resources {
		if glob(p[0], "KMS") && glob(p[1], res.Region) && glob(p[2], res.Account) && glob(p[3], "KeyId") &&
			glob(p[4], res.KeyID) {
			return true
		}
	}
	return false
}

func (r rule) matchesAction(actions []string) bool {
	for _, pat := range r.actions {
		for _, a := range actions {
			if glob(pat, a) {
				return true
			}
		}
	}
	return false
}

// glob reports whether s matches pattern, where '*' matches any run of
// characters, ASCII case-insensitively. It does not allocate.
func glob(pattern, s string) bool {
	// Iterative matching with one backtrack point: linear for patterns
	// with a single '*', O(len(p)·len(s)) at worst.
	px, sx := 0, 0
	star, mark := -1, 0
	for sx < len(s) {
		switch {
		case px < len(pattern) && pattern[px] == '*':
			star, mark = px, sx
			px++
		case px < len(pattern) && lower(pattern[px]) == lower(s[sx]):
			px++
			sx++
		case star >= 0:
			px = star + 1
			mark++
			sx = mark
		default:
			return false
		}
	}
	for px < len(pattern) && pattern[px] == '*' {
		px++
	}
	return px == len(pattern)
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
