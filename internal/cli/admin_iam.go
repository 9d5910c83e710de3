package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/iam"
	"github.com/kmsd/kmsd/internal/iampolicy"
	"github.com/kmsd/kmsd/internal/op"
)

// The operator's side of IAM: "kmsd admin user|access-key|group|policy
// VERB …" works on the store directly (for recovery when no administrator
// credential is left), prints JSON, and reaches running nodes through the
// store's change notifications (PostgreSQL), or within the identity
// caches' TTL (iam.CacheTTL) on SQLite.

// iamCommand is one "noun verb" of kmsd admin.
type iamCommand struct {
	args  string // the positional arguments, for the usage line
	flags func(fs *flag.FlagSet) func() map[string]string
	run   func(ctx context.Context, ids *iam.Service, a domain.Account, pos []string, opt map[string]string) (any, error)
}

var iamCommands = map[string]iamCommand{
	"user list":           {args: "", run: listUsers},
	"user disable":        {args: "NAME", run: setUserEnabled(false)},
	"user enable":         {args: "NAME", run: setUserEnabled(true)},
	"user delete":         {args: "NAME", run: deleteUser},
	"user reset-password": {args: "NAME", run: resetPassword},
	"user permissions":    {args: "NAME", flags: projectFlag, run: userPermissions},
	"access-key list":     {args: "USER", run: listAccessKeys},
	"access-key disable":  {args: "ACCESS_KEY", run: setKeyActive(false)},
	"access-key enable":   {args: "ACCESS_KEY", run: setKeyActive(true)},
	"access-key delete":   {args: "ACCESS_KEY", run: deleteAccessKey},
	"group add-user":      {args: "GROUP USER", run: addToGroup},
	"policy attach":       {args: "ROLE GROUP", flags: projectFlag, run: attachPolicy},
}

// iamFlags returns the flag set of the IAM command name, for completion.
func iamFlags(name string) func() *flag.FlagSet {
	return func() *flag.FlagSet {
		fs := flag.NewFlagSet("kmsd admin "+name, flag.ContinueOnError)
		fs.String("domain", "admin", "account (domain) name")
		if cmd := iamCommands[name]; cmd.flags != nil {
			cmd.flags(fs)
		}
		env := Env{Lookup: func(string) (string, bool) { return "", false }}
		newAdminFlags(fs, env)
		return fs
	}
}

// adminIAMCommand runs the IAM command name ("user list") of kmsd admin.
func adminIAMCommand(name string) func(ctx context.Context, args []string, env Env) error {
	return func(ctx context.Context, args []string, env Env) error {
		return adminIAM(ctx, name, args, env)
	}
}

// adminIAM runs "kmsd admin NOUN VERB …", the IAM command name, with the
// arguments after its name.
func adminIAM(ctx context.Context, name string, args []string, env Env) error {
	cmd := iamCommands[name]
	fs := newFlagSet("kmsd admin "+name, env)
	domainName := fs.String("domain", "admin", "account (domain) name")
	opts := func() map[string]string { return nil }
	if cmd.flags != nil {
		opts = cmd.flags(fs)
	}
	f := newAdminFlags(fs, env)
	var pos []string
	rest := args
	for len(rest) > 0 && !strings.HasPrefix(rest[0], "-") { // positional arguments before the flags
		pos, rest = append(pos, rest[0]), rest[1:]
	}
	if err := parse(fs, rest); err != nil {
		return err
	}
	pos = append(pos, fs.Args()...)
	if want := len(strings.Fields(cmd.args)); len(pos) != want {
		return fmt.Errorf("kmsd admin %s takes %s", name, strings.ToLower(orNone(cmd.args)))
	}
	return withIAM(ctx, f, func(ids *iam.Service) error {
		a, err := ids.EnsureAccount(ctx, *domainName, "")
		if err != nil {
			return err
		}
		out, err := cmd.run(ctx, ids, a, pos, opts())
		if err != nil {
			return err
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	})
}

func orNone(s string) string {
	if s == "" {
		return "no arguments"
	}
	return s
}

func projectFlag(fs *flag.FlagSet) func() map[string]string {
	p := fs.String("project", "", "project (region) name; default the whole account")
	return func() map[string]string { return map[string]string{"project": *p} }
}

type userJSON struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Enabled bool     `json:"enabled"`
	Groups  []string `json:"groups"`
}

func listUsers(ctx context.Context, ids *iam.Service, a domain.Account, _ []string, _ map[string]string) (any, error) {
	users, err := ids.Users(ctx, a.ID, "")
	if err != nil {
		return nil, err
	}
	out := []userJSON{}
	for _, u := range users {
		j, err := describeUser(ctx, ids, u)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, nil
}

func describeUser(ctx context.Context, ids *iam.Service, u domain.User) (userJSON, error) {
	gs, err := ids.UserGroups(ctx, u.ID)
	j := userJSON{ID: u.ID, Name: u.Name, Enabled: !u.Disabled, Groups: []string{}}
	for _, g := range gs {
		j.Groups = append(j.Groups, g.Name)
	}
	return j, err
}

// userNamed finds a user of a by name.
func userNamed(ctx context.Context, ids *iam.Service, a domain.Account, name string) (domain.User, error) {
	us, err := ids.Users(ctx, a.ID, name)
	if err != nil {
		return domain.User{}, err
	}
	if len(us) == 0 {
		return domain.User{}, fmt.Errorf("no user %q in account %q", name, a.Name)
	}
	return us[0], nil
}

func setUserEnabled(enabled bool) func(context.Context, *iam.Service, domain.Account, []string, map[string]string) (any, error) {
	return func(ctx context.Context, ids *iam.Service, a domain.Account, pos []string, _ map[string]string) (any, error) {
		u, err := userNamed(ctx, ids, a, pos[0])
		if err != nil {
			return nil, err
		}
		if u, err = ids.UpdateUser(ctx, a.ID, u.ID, iam.UserPatch{Enabled: &enabled}); err != nil {
			return nil, err
		}
		return describeUser(ctx, ids, u)
	}
}

func deleteUser(ctx context.Context, ids *iam.Service, a domain.Account, pos []string, _ map[string]string) (any, error) {
	u, err := userNamed(ctx, ids, a, pos[0])
	if err != nil {
		return nil, err
	}
	return map[string]string{"deleted": u.ID}, ids.DeleteUser(ctx, a.ID, u.ID)
}

// resetPassword sets a generated password (printed once) and so revokes
// the user's tokens.
func resetPassword(ctx context.Context, ids *iam.Service, a domain.Account, pos []string, _ map[string]string) (any, error) {
	u, err := userNamed(ctx, ids, a, pos[0])
	if err != nil {
		return nil, err
	}
	pw := "Kd1-" + randomPassword()[:24]
	if _, err := ids.UpdateUser(ctx, a.ID, u.ID, iam.UserPatch{Password: &pw}); err != nil {
		return nil, err
	}
	return map[string]string{"user": u.Name, "password": pw}, nil
}

// userPermissions prints the user's groups and the operations its policies
// allow in a project (or account-wide), as decided before a key is known.
func userPermissions(ctx context.Context, ids *iam.Service, a domain.Account, pos []string, opt map[string]string) (any, error) {
	u, err := userNamed(ctx, ids, a, pos[0])
	if err != nil {
		return nil, err
	}
	projectID, err := projectNamed(ctx, ids, a, opt["project"])
	if err != nil {
		return nil, err
	}
	set, err := ids.Policies(ctx, u.ID, projectID)
	if err != nil {
		return nil, err
	}
	j, err := describeUser(ctx, ids, u)
	allowed := []string{}
	for _, o := range op.All() {
		if o.IAMAction != "" && set.Decide(append([]string{o.IAMAction}, o.IAMAliases()...), iampolicy.Resource{}) == iampolicy.Allow {
			allowed = append(allowed, string(o.Name))
		}
	}
	return map[string]any{"user": j, "project": opt["project"], "administrator": set.AllowsAll(), "allowed": allowed}, err
}

func projectNamed(ctx context.Context, ids *iam.Service, a domain.Account, name string) (string, error) {
	if name == "" {
		return "", nil
	}
	ps, err := ids.Projects(ctx, a.ID, name)
	if err != nil {
		return "", err
	}
	if len(ps) == 0 {
		return "", fmt.Errorf("no project %q in account %q", name, a.Name)
	}
	return ps[0].ID, nil
}

type keyJSON struct {
	AccessKey   string `json:"access_key"`
	User        string `json:"user_id"`
	Status      string `json:"status"`
	Description string `json:"description"`
}

func toKeyJSON(c domain.Credential) keyJSON {
	return keyJSON{AccessKey: c.AccessKey, User: c.UserID, Status: c.Status(), Description: c.Description}
}

func listAccessKeys(ctx context.Context, ids *iam.Service, a domain.Account, pos []string, _ map[string]string) (any, error) {
	u, err := userNamed(ctx, ids, a, pos[0])
	if err != nil {
		return nil, err
	}
	ks, err := ids.AccessKeys(ctx, a.ID, u.ID)
	out := []keyJSON{}
	for _, k := range ks {
		out = append(out, toKeyJSON(k))
	}
	return out, err
}

func setKeyActive(active bool) func(context.Context, *iam.Service, domain.Account, []string, map[string]string) (any, error) {
	return func(ctx context.Context, ids *iam.Service, a domain.Account, pos []string, _ map[string]string) (any, error) {
		inactive := !active
		k, err := ids.UpdateAccessKey(ctx, a.ID, pos[0], &inactive, nil)
		if err != nil {
			return nil, err
		}
		return toKeyJSON(k), nil
	}
}

func deleteAccessKey(ctx context.Context, ids *iam.Service, a domain.Account, pos []string, _ map[string]string) (any, error) {
	return map[string]string{"deleted": pos[0]}, ids.DeleteAccessKey(ctx, a.ID, pos[0])
}

// addToGroup puts a user in a group, creating the group if need be.
func addToGroup(ctx context.Context, ids *iam.Service, a domain.Account, pos []string, _ map[string]string) (any, error) {
	u, err := userNamed(ctx, ids, a, pos[1])
	if err != nil {
		return nil, err
	}
	g, _, err := ids.EnsureGroup(ctx, a.ID, pos[0])
	if err != nil {
		return nil, err
	}
	if err := ids.AddUserToGroup(ctx, a.ID, g.ID, u.ID); err != nil {
		return nil, err
	}
	return describeUser(ctx, ids, u)
}

// attachPolicy grants a role or policy (by display name) to a group, on a
// project or the whole account.
func attachPolicy(ctx context.Context, ids *iam.Service, a domain.Account, pos []string, opt map[string]string) (any, error) {
	rs, err := ids.Roles(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	var role iam.Role
	for _, r := range rs {
		if r.DisplayName == pos[0] || r.ID == pos[0] {
			role = r
		}
	}
	if role.ID == "" {
		return nil, errors.New("no role or policy named " + pos[0])
	}
	gs, err := ids.Groups(ctx, a.ID, pos[1])
	if err != nil {
		return nil, err
	}
	if len(gs) == 0 {
		return nil, fmt.Errorf("no group %q in account %q", pos[1], a.Name)
	}
	projectID, err := projectNamed(ctx, ids, a, opt["project"])
	if err != nil {
		return nil, err
	}
	if err := ids.Grant(ctx, iam.Scope{DomainID: a.ID, Project: projectID}, gs[0].ID, role.ID); err != nil {
		return nil, err
	}
	return map[string]string{"group": gs[0].Name, "role": role.DisplayName, "project": opt["project"]}, nil
}
