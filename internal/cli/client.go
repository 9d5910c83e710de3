package cli

import (
	"context"
	"io"
	"os"
	"strings"

	"github.com/kmsd/kmsd/internal/kmscli"
)

// clientCommands are the client commands of package kmscli: they talk to a
// running kmsd over its API, like any client.
var clientCommands = map[string]func(context.Context, []string, kmscli.Env) error{
	"kms":     kmscli.Kms,
	"encrypt": kmscli.Encrypt,
	"decrypt": kmscli.Decrypt,
	"keys":    kmscli.Keys,
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
