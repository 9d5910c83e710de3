// Package seed applies a declarative YAML fixture file: accounts, projects,
// users, access keys, user groups with their memberships and permissions,
// custom policies, and keys with fixed ids, aliases, descriptions, specs,
// states and (for symmetric keys) material. Applying a file is idempotent:
// what exists is left alone (after checking it does not contradict the
// file), what is missing is created. docs/seeding.md documents the format.
package seed

import (
	"encoding/hex"
	"fmt"
	"os"

	"gopkg.in/yaml.v3"
)

// File is the top level of a seed file.
type File struct {
	Accounts []Account `yaml:"accounts"`
}

// Account is a Huawei "domain" with its projects and users.
type Account struct {
	Name     string    `yaml:"name"`
	ID       string    `yaml:"id"`
	Projects []Project `yaml:"projects"`
	Users    []User    `yaml:"users"`
	// Policies are custom policies of the account; Groups its user groups
	// with the permissions granted to them.
	Policies []Policy `yaml:"policies"`
	Groups   []Group  `yaml:"groups"`
}

// Policy is a custom policy in Huawei's policy language.
type Policy struct {
	Name        string `yaml:"name"` // its display name
	Type        string `yaml:"type"` // "XA" (default) or "AX"
	Description string `yaml:"description"`
	// Document is the policy: Version "1.1" and Statement, as JSON or YAML.
	Document map[string]any `yaml:"policy"`
}

// Group is a user group and the permissions granted to it.
type Group struct {
	Name        string       `yaml:"name"`
	Description string       `yaml:"description"`
	Permissions []Permission `yaml:"permissions"`
}

// Permission grants a system role or policy, or a custom policy, by
// display name ("KMS CMKReadOnlyAccess"), on a project (by name) or, when
// Project is empty, on the whole account.
type Permission struct {
	Role    string `yaml:"role"`
	Project string `yaml:"project"`
}

// Project is a region-named project and its keys.
type Project struct {
	Name string `yaml:"name"` // region id, e.g. local-1
	ID   string `yaml:"id"`
	Keys []Key  `yaml:"keys"`
}

// User is an IAM user with optional access keys. Projects names the
// projects (by name) the user may act in with any credential, access keys
// and tokens alike; without it, a user whose access keys all list projects
// is limited to their union, and other users may use every project of the
// account.
type User struct {
	Name        string       `yaml:"name"`
	Password    string       `yaml:"password"`
	Projects    []string     `yaml:"projects"`
	Credentials []Credential `yaml:"credentials"`
	// Groups names the user's groups. Absent, a user created by the seed
	// joins its account's admin group (it may do everything, as every
	// user could before IAM permissions); "groups: []" joins none.
	Groups []string `yaml:"groups"`
}

// Credential is a fixed access key. Projects names the projects (by name)
// it may use, among its user's; empty means every project its user may use.
type Credential struct {
	AccessKey string   `yaml:"access_key"`
	SecretKey string   `yaml:"secret_key"`
	Projects  []string `yaml:"projects"`
}

// Key is a key to create. Alias is its key_alias (its name); an alias
// ending in "/default" makes a service default key. Aliases are aliases in
// the sense of create-alias ("alias/app"): references that resolve to the
// key wherever a key id is accepted.
type Key struct {
	ID          string   `yaml:"id"`
	Alias       string   `yaml:"alias"`
	Aliases     []string `yaml:"aliases"`
	Description string   `yaml:"description"`
	Spec        string   `yaml:"spec"`
	Usage       string   `yaml:"usage"`
	Origin      string   `yaml:"origin"`
	State       string   `yaml:"state"` // enabled (default), disabled, pending_deletion, or "2"/"3"/"4"
	PendingDays int      `yaml:"pending_days"`
	Material    string   `yaml:"material"` // hex; symmetric and HMAC keys only
}

// Load reads and parses a seed file; unknown fields are errors.
func Load(path string) (File, error) {
	var f File
	r, err := os.Open(path)
	if err != nil {
		return f, fmt.Errorf("seed: %w", err)
	}
	defer r.Close()
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return f, fmt.Errorf("seed: %s: %w", path, err)
	}
	return f, nil
}

// BootstrapIDs returns the ids the file declares for the bootstrap account
// (named domain) and its project (named region), empty when it fixes none:
// the bootstrap creates them with these ids, so that a file declaring the
// bootstrap project with an id works on a fresh data directory.
func (f File) BootstrapIDs(domain, region string) (domainID, projectID string) {
	for _, a := range f.Accounts {
		if a.Name != domain {
			continue
		}
		for _, p := range a.Projects {
			if p.Name == region && p.ID != "" {
				projectID = p.ID
			}
		}
		if a.ID != "" {
			domainID = a.ID
		}
	}
	return domainID, projectID
}

func (k Key) material() ([]byte, error) {
	if k.Material == "" {
		return nil, nil
	}
	m, err := hex.DecodeString(k.Material)
	if err != nil {
		return nil, fmt.Errorf("seed: key %s: material is not hex: %w", k.ref(), err)
	}
	return m, nil
}

func (k Key) ref() string {
	if k.ID != "" {
		return k.ID
	}
	return k.Alias
}
