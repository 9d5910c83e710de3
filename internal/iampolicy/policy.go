// Package iampolicy evaluates Huawei IAM policies: documents in Huawei's
// policy language (Version "1.1", Statement with Effect Allow or Deny,
// Action patterns such as "kms:cmk:*" and optional Resource patterns such
// as "KMS:*:*:KeyId:<id>"), compiled into a Set that answers, without
// allocating, whether a set of actions is allowed on a resource.
//
// The rules, as Huawei documents them: an explicit Deny wins over any
// Allow; without a matching Allow the request is refused. Patterns match
// case-insensitively; '*' matches any run of characters (within a segment
// of a resource, across segments of an action).
package iampolicy

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Document is a policy in Huawei's policy language.
type Document struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is one rule of a Document.
type Statement struct {
	Effect   string   `json:"Effect"`
	Action   []string `json:"Action"`
	Resource []string `json:"Resource,omitempty"`
	// Condition is refused by Validate: kmsd evaluates no condition keys,
	// and ignoring one would widen an Allow.
	Condition map[string]map[string][]string `json:"Condition,omitempty"`
}

// Limits Huawei documents for custom policies.
const (
	MaxStatements = 100 // kmsd's bound; Huawei bounds the document's length instead
	MaxDocument   = 6144
)

// ErrInvalid is wrapped by every validation error.
var ErrInvalid = errors.New("iampolicy: invalid policy")

// Parse decodes and validates a policy document.
func Parse(b []byte) (Document, error) {
	var d Document
	if len(b) > MaxDocument {
		return d, fmt.Errorf("%w: the policy is longer than %d characters", ErrInvalid, MaxDocument)
	}
	if err := json.Unmarshal(b, &d); err != nil {
		return d, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return d, d.Validate()
}

// Validate checks the document's shape: Version "1.1" (custom policies;
// system roles use "1.0"), 1 to MaxStatements statements, each with Effect
// Allow or Deny, at least one action of the form service:resource:action,
// resources of the form service:region:account:type:id, and no Condition.
func (d Document) Validate() error {
	if d.Version != "1.1" && d.Version != "1.0" {
		return fmt.Errorf("%w: Version must be \"1.1\"", ErrInvalid)
	}
	if len(d.Statement) == 0 || len(d.Statement) > MaxStatements {
		return fmt.Errorf("%w: a policy has 1 to %d statements", ErrInvalid, MaxStatements)
	}
	for i, s := range d.Statement {
		if err := s.validate(); err != nil {
			return fmt.Errorf("%w: statement %d: %v", ErrInvalid, i, err)
		}
	}
	return nil
}

func (s Statement) validate() error {
	if s.Effect != Allow.String() && s.Effect != Deny.String() {
		return errors.New(`the Effect must be "Allow" or "Deny"`)
	}
	if len(s.Action) == 0 {
		return errors.New("the Action list is empty")
	}
	for _, a := range s.Action {
		if strings.Count(a, ":") != 2 || strings.TrimSpace(a) != a || a == "" {
			return fmt.Errorf("action %q is not service:resource:action", a)
		}
	}
	for _, r := range s.Resource {
		if r != "*" && strings.Count(r, ":") != 4 {
			return fmt.Errorf("resource %q is not service:region:account:type:id", r)
		}
	}
	if len(s.Condition) > 0 {
		return errors.New("a Condition is not supported")
	}
	return nil
}

// Effect is a statement's effect, and a decision.
type Effect uint8

const (
	NoMatch Effect = iota // no statement applies: refused
	Allow
	Deny
)

func (e Effect) String() string {
	switch e {
	case Allow:
		return "Allow"
	case Deny:
		return "Deny"
	}
	return "NoMatch"
}

// Resource names a key for evaluation: "KMS:<Region>:<Account>:KeyId:<KeyID>".
// The zero Resource asks about the action alone.
type Resource struct {
	Region, Account, KeyID string
}

func (r Resource) zero() bool { return r.KeyID == "" }
