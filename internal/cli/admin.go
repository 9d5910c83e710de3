package cli

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/kmsd/kmsd/internal/config"
	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/iam"
	"github.com/kmsd/kmsd/internal/iampolicy"
	"github.com/kmsd/kmsd/internal/server"
)

// adminOutput is what admin commands print: enough to configure a client.
type adminOutput struct {
	ProjectID string `json:"project_id"`
	Project   string `json:"project"`
	DomainID  string `json:"domain_id"`
	Domain    string `json:"domain"`
	AccessKey string `json:"access_key"`
	SecretKey string `json:"secret_key"`
}

// adminFlags are the flags every admin command has: the shared settings,
// --config and --init.
type adminFlags struct {
	load func() (config.Config, error)
	init *bool
}

func newAdminFlags(fs *flag.FlagSet, env Env) adminFlags {
	return adminFlags{
		load: configFlags(fs, env, shared(config.Settings())),
		init: fs.Bool("init", false, "create the store (and a file root key) when none exists; without it a missing store is an error, so that a mistyped --data does not start an empty one"),
	}
}

type adminProjectOpts struct {
	adminFlags
	domain, user, id *string
}

func adminProjectFlags(env Env) (*flag.FlagSet, adminProjectOpts) {
	fs := newFlagSet("kmsd admin project create", env)
	o := adminProjectOpts{
		domain: fs.String("domain", "admin", "account (domain) name; created if absent"),
		user:   fs.String("user", "admin", "user that owns the new access key; created if absent"),
		id:     fs.String("id", "", "fixed project id (32 hex characters); default generated"),
	}
	o.adminFlags = newAdminFlags(fs, env)
	return fs, o
}

// adminProject creates project NAME (a region id) in an account (default
// the bootstrap account "admin") with an access key for its first user.
func adminProject(ctx context.Context, args []string, env Env) error {
	fs, o := adminProjectFlags(env)
	name, args := leadingArg(args)
	if err := parse(fs, args); err != nil {
		return err
	}
	if name == "" && fs.NArg() == 1 {
		name = fs.Arg(0)
	} else if name == "" || fs.NArg() != 0 {
		return errors.New("admin project create takes exactly one NAME (the region id)")
	}
	return withIAM(ctx, o.adminFlags, func(ids *iam.Service) error {
		a, err := ids.EnsureAccount(ctx, *o.domain, "")
		if err != nil {
			return err
		}
		p, err := ids.CreateProject(ctx, a, name, *o.id)
		if err != nil {
			return err
		}
		return printCredential(ctx, ids, env, p.ID, *o.user)
	})
}

type adminCredentialOpts struct {
	adminFlags
	project, user *string
}

func adminCredentialFlags(env Env) (*flag.FlagSet, adminCredentialOpts) {
	fs := newFlagSet("kmsd admin credential create", env)
	o := adminCredentialOpts{
		project: fs.String("project", "", "project id the access key may use (required)"),
		user:    fs.String("user", "admin", "user that owns the access key; created if absent"),
	}
	o.adminFlags = newAdminFlags(fs, env)
	return fs, o
}

// adminCredential creates an access key limited to one project.
func adminCredential(ctx context.Context, args []string, env Env) error {
	fs, o := adminCredentialFlags(env)
	if err := parse(fs, args); err != nil {
		return err
	}
	if *o.project == "" {
		return errors.New("admin credential create needs --project ID")
	}
	return withIAM(ctx, o.adminFlags, func(ids *iam.Service) error {
		return printCredential(ctx, ids, env, *o.project, *o.user)
	})
}

// printCredential creates an access key of user userName limited to the
// project and prints it. A user the command creates is limited to the
// project as well (docs/security.md §4) and administers KMS there
// (grantProjectAdmin); an existing user keeps its projects, which must include this one,
// and its groups.
func printCredential(ctx context.Context, ids *iam.Service, env Env, projectID, userName string) error {
	p, err := ids.Project(ctx, projectID)
	if err != nil {
		return err
	}
	a, err := ids.Account(ctx, p.DomainID)
	if err != nil {
		return err
	}
	u, created, err := ids.EnsureUser(ctx, a, userName, randomPassword(), []string{p.ID})
	if err != nil {
		return err
	}
	if created {
		if err := grantProjectAdmin(ctx, ids, a, p, u); err != nil {
			return err
		}
	}
	sec, err := ids.CreateCredential(ctx, u, []string{p.ID}, "", "")
	if err != nil {
		return err
	}
	out := adminOutput{ProjectID: p.ID, Project: p.Name, DomainID: a.ID, Domain: a.Name,
		AccessKey: sec.Credential.AccessKey, SecretKey: sec.SecretKey}
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// grantProjectAdmin lets u do everything in KMS in project p, as users
// made by these commands always could, and nothing in IAM beyond its own
// access keys: it joins the group "kms-admin-<project name>", which holds
// the system role "KMS Administrator" on p (docs/iam.md).
func grantProjectAdmin(ctx context.Context, ids *iam.Service, a domain.Account, p domain.Project, u domain.User) error {
	g, _, err := ids.EnsureGroup(ctx, a.ID, "kms-admin-"+p.Name)
	if err != nil {
		return err
	}
	for _, r := range iampolicy.SystemRoles() {
		if r.DisplayName == "KMS Administrator" {
			if err := ids.Grant(ctx, iam.Scope{DomainID: a.ID, Project: p.ID}, g.ID, r.ID); err != nil {
				return err
			}
		}
	}
	return ids.AddUserToGroup(ctx, a.ID, g.ID, u.ID)
}

// withIAM opens the configured store and root key, runs fn, and closes
// them. The store must exist unless --init is given.
func withIAM(ctx context.Context, f adminFlags, fn func(*iam.Service) error) error {
	cfg, err := f.load()
	if err != nil {
		return err
	}
	open := server.OpenExistingStore
	if *f.init {
		open = server.OpenStore
	}
	st, err := open(ctx, cfg)
	if errors.Is(err, server.ErrNoStore) {
		return fmt.Errorf("%w (data directory %s, store %s): check --data / --postgres-dsn, or give --init to create it", err, cfg.DataDir, cfg.Store)
	}
	if err != nil {
		return err
	}
	defer st.Close()
	rk, err := server.OpenRootKey(ctx, cfg, st)
	if err != nil {
		return fmt.Errorf("root key: %w", err)
	}
	defer rk.Close()
	return fn(iam.New(iam.Options{Store: st, Root: rk}))
}

// randomPassword returns a password for a user created implicitly by an
// admin command; it is not printed: such users authenticate with access keys.
func randomPassword() string {
	b := make([]byte, 24)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// leadingArg splits off a positional argument given before the flags
// ("create NAME --data DIR"), which the flag package would stop at.
func leadingArg(args []string) (string, []string) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return args[0], args[1:]
	}
	return "", args
}
