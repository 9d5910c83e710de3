// Package cli implements the kmsd command line: "kmsd serve" runs a node,
// "kmsd admin …" manages identities in the store a node uses. Flags use the
// standard library's flag package; every flag has a KMSD_* environment
// equivalent (see package config).
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Env is the process environment, replaceable in tests.
type Env struct {
	Stdout, Stderr io.Writer
	Lookup         func(string) (string, bool)
}

const usage = `kmsd: a self-hosted key management service speaking the Huawei Cloud KMS API.

Usage:
  kmsd serve [flags]                          run a node (default: SQLite in ./kmsd-data, 127.0.0.1:8080)
  kmsd admin project create NAME [flags]      create a project (NAME = region id) and print it as JSON
  kmsd admin credential create --project ID   create an access key for a project and print it as JSON
  kmsd admin user list|disable|enable|delete|reset-password|permissions [NAME]
                                              list and change IAM users (JSON)
  kmsd admin access-key list USER | disable|enable|delete ACCESS_KEY
                                              list and change permanent access keys (JSON)
  kmsd admin group add-user GROUP USER        put a user in a group (created if absent)
  kmsd admin policy attach ROLE GROUP [--project NAME]
                                              grant a role or policy (display name) to a group
  kmsd version                                print the version

Run "kmsd serve -h" or "kmsd admin project create -h" for flags.
`

// Version is set at build time with -ldflags "-X ...cli.Version=…".
var Version = "dev"

// Main runs the command line args (without the program name) and returns the
// process exit code.
func Main(args []string, env Env) int {
	if env.Lookup == nil {
		env.Lookup = os.LookupEnv
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, args, env)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprint(env.Stderr, usage)
		return 2
	}
	fmt.Fprintln(env.Stderr, "kmsd:", err)
	return 1
}

var errUsage = errors.New("usage")

func run(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 {
		return errUsage
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], env)
	case "admin":
		return admin(ctx, args[1:], env)
	case "version":
		fmt.Fprintln(env.Stdout, "kmsd", Version)
		return nil
	case "-h", "--help", "help":
		fmt.Fprint(env.Stdout, usage)
		return nil
	}
	return errUsage
}
