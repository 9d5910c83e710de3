package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/kmsd/kmsd/internal/kmscli"
)

// command is one entry of the command table.
type command struct {
	// path is the words after "kmsd" that name the command:
	// "serve", "admin project create".
	path string
	// synopsis follows the path in the usage text: "[flags]", "NAME [flags]".
	synopsis string
	about    string // one line for "kmsd -h"
	run      func(ctx context.Context, args []string, env Env) error
	// flags returns the command's flag set, which shell completion lists;
	// nil for a command without flags.
	flags func() *flag.FlagSet
	// complete, when set, returns the completions of the word being typed
	// after the command's path (other than flags): prior holds the words
	// typed after the path before it.
	complete func(prior []string, word string) []string
}

// commands is the command table: usage, dispatch and shell completion
// derive from it. A command whose path extends another's ("kms CreateKey"
// after "kms") is matched by its longest path.
var commands []command

func init() {
	commands = []command{
		{path: "serve", synopsis: "[flags]", about: "run a node (default: SQLite in ./kmsd-data, 127.0.0.1:8080)",
			run: serve, flags: flagsOf(serveFlags)},
		{path: "admin project create", synopsis: "NAME [flags]", about: "create a project (NAME = region id) and print it as JSON",
			run: adminProject, flags: flagsOf(adminProjectFlags)},
		{path: "admin credential create", synopsis: "--project ID", about: "create an access key for a project and print it as JSON",
			run: adminCredential, flags: flagsOf(adminCredentialFlags)},
		{path: "admin user list", about: "list the account's IAM users (JSON)", run: adminIAMCommand("user list"), flags: iamFlags("user list")},
		{path: "admin user disable", synopsis: "NAME", about: "disable an IAM user: its access keys and tokens stop working", run: adminIAMCommand("user disable"), flags: iamFlags("user disable")},
		{path: "admin user enable", synopsis: "NAME", about: "enable an IAM user", run: adminIAMCommand("user enable"), flags: iamFlags("user enable")},
		{path: "admin user delete", synopsis: "NAME", about: "delete an IAM user and its access keys", run: adminIAMCommand("user delete"), flags: iamFlags("user delete")},
		{path: "admin user reset-password", synopsis: "NAME", about: "set a new random password and print it", run: adminIAMCommand("user reset-password"), flags: iamFlags("user reset-password")},
		{path: "admin user permissions", synopsis: "NAME [--project NAME]", about: "print a user's effective policies", run: adminIAMCommand("user permissions"), flags: iamFlags("user permissions")},
		{path: "admin access-key list", synopsis: "USER", about: "list a user's permanent access keys (JSON)", run: adminIAMCommand("access-key list"), flags: iamFlags("access-key list")},
		{path: "admin access-key disable", synopsis: "ACCESS_KEY", about: "make an access key inactive", run: adminIAMCommand("access-key disable"), flags: iamFlags("access-key disable")},
		{path: "admin access-key enable", synopsis: "ACCESS_KEY", about: "make an access key active", run: adminIAMCommand("access-key enable"), flags: iamFlags("access-key enable")},
		{path: "admin access-key delete", synopsis: "ACCESS_KEY", about: "delete an access key", run: adminIAMCommand("access-key delete"), flags: iamFlags("access-key delete")},
		{path: "admin group add-user", synopsis: "GROUP USER", about: "put a user in a group (created if absent)", run: adminIAMCommand("group add-user"), flags: iamFlags("group add-user")},
		{path: "admin policy attach", synopsis: "ROLE GROUP [--project NAME]", about: "grant a role or policy (display name) to a group", run: adminIAMCommand("policy attach"), flags: iamFlags("policy attach")},
		{path: "backup", synopsis: "--to FILE | --verify [flags]", about: "snapshot the embedded store while it serves (with the root key's id, never the key), or check that every secret unwraps under the root key",
			run: backupCmd},
		{path: "restore", synopsis: "--from FILE --data DIR", about: "restore a snapshot into a new data directory holding its root key", run: restoreCmd},
		{path: "rootkey create", synopsis: "DIR", about: "create a file root key DIR/root.key and print its id",
			run: func(_ context.Context, args []string, env Env) error { return rootkeyCreate(args, env) }},
		{path: "rootkey rotate", synopsis: "[flags]", about: "re-wrap every secret from --root-key-previous to --root-key, online", run: rootkeyRotate},
		{path: "audit verify", synopsis: "[FILE...] [flags]", about: "verify the audit trail's chain (default: the configured audit.file)", run: auditVerify},
		{path: "healthcheck", synopsis: "[--url URL]", about: "exit 0 when the node answers GET /healthz with 200 (for container healthchecks)",
			run: healthcheck, flags: flagsOf(healthcheckFlags)},
		{path: "completion", synopsis: "bash|zsh|fish", about: "print the shell completion script",
			run: completion, complete: completeShells},
		{path: "version", about: "print the module version and VCS revision (also --version)", run: printVersion},
		{path: "kms", synopsis: "OPERATION [--param=value ...]", about: "call any KMS operation of a running kmsd (kmsd kms --help)",
			run: client(kmscli.Kms), complete: completeOperations},
		{path: "encrypt", synopsis: "--key KEY < in > out", about: "encrypt standard input (up to 4096 bytes of text)", run: client(kmscli.Encrypt)},
		{path: "decrypt", synopsis: "< in > out", about: "decrypt what kmsd encrypt wrote", run: client(kmscli.Decrypt)},
		{path: "keys", about: "list the project's keys", run: client(kmscli.Keys)},
	}
}

// flagsOf adapts a flag-set constructor to command.flags: the flag set is
// built with an environment that reads nothing and writes nowhere.
func flagsOf[T any](build func(Env) (*flag.FlagSet, T)) func() *flag.FlagSet {
	return func() *flag.FlagSet {
		fs, _ := build(Env{Stdout: io.Discard, Stderr: io.Discard, Lookup: func(string) (string, bool) { return "", false }})
		return fs
	}
}

func (c command) words() []string { return strings.Fields(c.path) }

// lookup returns the command args name, by its longest matching path, and
// the arguments after the path; nil when no command matches.
func lookup(args []string) (*command, []string) {
	var best *command
	for i := range commands {
		w := commands[i].words()
		if len(w) <= len(args) && slices.Equal(w, args[:len(w)]) && (best == nil || len(w) > len(best.words())) {
			best = &commands[i]
		}
	}
	if best == nil {
		return nil, args
	}
	return best, args[len(best.words()):]
}

// usage is the text of "kmsd -h", from the command table.
func usage() string {
	var b strings.Builder
	b.WriteString("kmsd: a self-hosted key management service speaking the Huawei Cloud KMS API.\n\nUsage:\n")
	for _, c := range commands {
		left := strings.TrimSpace("kmsd " + c.path + " " + c.synopsis)
		fmt.Fprintf(&b, "  %-42s %s\n", left, c.about)
	}
	b.WriteString("\nRun \"kmsd COMMAND -h\" for a command's flags, e.g. \"kmsd serve -h\".\n")
	return b.String()
}
