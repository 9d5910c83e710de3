package cli

import (
	"context"
	"io"
	"os"
	"strings"

	"github.com/kmsd/kmsd/internal/kmscli"
)

// client adapts a client command of package kmscli, which talks to a
// running kmsd over its API like any client, to the command table.
func client(fn func(context.Context, []string, kmscli.Env) error) func(context.Context, []string, Env) error {
	return func(ctx context.Context, args []string, env Env) error { return fn(ctx, args, clientEnv(env)) }
}

// completeOperations completes "kmsd kms OPERATION" with the operation names.
func completeOperations(prior []string, word string) []string {
	if len(prior) > 0 {
		return nil
	}
	var out []string
	for _, o := range kmscli.Operations() {
		if strings.HasPrefix(o.Name, word) {
			out = append(out, o.Name)
		}
	}
	return out
}

// clientEnv is env for a client command.
func clientEnv(env Env) kmscli.Env {
	ce := kmscli.Env{Stdin: env.Stdin, Stdout: env.Stdout, Stderr: env.Stderr, Lookup: env.Lookup,
		Environ: env.Environ, Terminal: isTerminal(env.Stdout)}
	if ce.Stdin == nil {
		ce.Stdin = strings.NewReader("")
	}
	if ce.Environ == nil {
		ce.Environ = func() []string { return nil }
	}
	return ce
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
