// Package cli implements the kmsd command line: "kmsd serve" runs a node,
// "kmsd admin …" manages identities, IAM users, access keys, groups and
// policies in the store a node uses, "kmsd backup",
// "kmsd restore" and "kmsd rootkey …" look after the store and its root key,
// "kmsd audit verify" checks an audit trail,
// "kmsd healthcheck" probes a node, "kmsd completion" prints shell completion;
// "kmsd kms", "kmsd encrypt", "kmsd decrypt" and "kmsd keys" are clients of
// a running node (package kmscli).
// Every command is one entry of the command table (commands.go), from which
// the usage text, the dispatch and shell completion derive. Flags use the
// standard library's flag package; every setting flag has a KMSD_*
// environment equivalent (see package config).
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

	"github.com/kmsd/kmsd/internal/kmscli"
)

// Env is the process environment, replaceable in tests.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Lookup         func(string) (string, bool)
	Environ        func() []string // the environment as KEY=value (os.Environ)
}

// Main runs the command line args (without the program name) and returns the
// process exit code.
func Main(args []string, env Env) int {
	if env.Lookup == nil {
		env.Lookup, env.Environ = os.LookupEnv, os.Environ
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, args, env)
	var printed flagError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprint(env.Stderr, usage())
		return 2
	case errors.Is(err, kmscli.ErrUsage):
		return 2
	case errors.Is(err, kmscli.ErrHelp):
		return 0
	case errors.As(err, &printed):
		return 2 // the flag package has printed the error and the command's flags
	}
	fmt.Fprintln(env.Stderr, "kmsd:", err)
	return 1
}

var errUsage = errors.New("usage")

// flagError is a command-line parse error the flag package has already
// printed, with the usage of the command.
type flagError struct{ error }

func (e flagError) Unwrap() error { return e.error }

// parse parses args with fs. Its errors have been printed by the flag
// package; -h and --help return flag.ErrHelp.
func parse(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return err
	}
	return flagError{err}
}

func run(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 {
		return errUsage
	}
	switch args[0] {
	case "-h", "--help", "help":
		fmt.Fprint(env.Stdout, usage())
		return nil
	case "--version", "-version":
		return printVersion(ctx, args[1:], env)
	case completeCommand:
		return completeWords(ctx, args[1:], env)
	}
	c, rest := lookup(args)
	if c == nil {
		return errUsage
	}
	return c.run(ctx, rest, env)
}
