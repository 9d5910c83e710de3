package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// completeCommand is the hidden command the completion scripts run on every
// <TAB>: "kmsd __complete WORD… CURRENT" prints the candidates for CURRENT,
// one a line, from the command table. The scripts hold no list of their
// own, so a command added to the table completes at once.
const completeCommand = "__complete"

// completionScripts are the scripts "kmsd completion SHELL" prints. Each
// hands the words typed so far to "kmsd __complete" and offers its output;
// with no candidates (a flag's value), bash and zsh complete file names.
var completionScripts = map[string]string{
	"bash": `# kmsd completion for bash: source <(kmsd completion bash)
_kmsd() {
    local IFS=$'\n'
    COMPREPLY=($("${COMP_WORDS[0]}" ` + completeCommand + ` "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _kmsd kmsd
`,
	"zsh": `# kmsd completion for zsh (after compinit): source <(kmsd completion zsh)
_kmsd() {
    local -a candidates
    candidates=("${(@f)$("${words[1]}" ` + completeCommand + ` "${(@)words[2,CURRENT]}" 2>/dev/null)}")
    if [[ -n "${candidates[1]}" ]]; then
        compadd -a candidates
    else
        _files
    fi
}
compdef _kmsd kmsd
`,
	"fish": `# kmsd completion for fish: kmsd completion fish | source
function __kmsd_complete
    set -l words (commandline -opc) (commandline -ct)
    $words[1] ` + completeCommand + ` $words[2..-1] 2>/dev/null
end
complete -c kmsd -a '(__kmsd_complete)'
`,
}

// completion prints the completion script of one shell.
func completion(_ context.Context, args []string, env Env) error {
	if len(args) != 1 || completionScripts[args[0]] == "" {
		return fmt.Errorf("kmsd completion takes one shell: %s", strings.Join(completeShells(nil, ""), ", "))
	}
	fmt.Fprint(env.Stdout, completionScripts[args[0]])
	return nil
}

func completeShells(prior []string, word string) []string {
	if len(prior) != 0 {
		return nil
	}
	var out []string
	for sh := range completionScripts {
		if strings.HasPrefix(sh, word) {
			out = append(out, sh)
		}
	}
	sort.Strings(out)
	return out
}

// completeWords prints the candidates for the last of words (the words
// after "kmsd", the last one being typed).
func completeWords(_ context.Context, words []string, env Env) error {
	if len(words) == 0 {
		return errors.New("kmsd __complete needs the words typed")
	}
	for _, c := range candidates(words[:len(words)-1], words[len(words)-1]) {
		fmt.Fprintln(env.Stdout, c)
	}
	return nil
}

// candidates completes word after the words prior: the next word of the
// command paths that extend prior, then, once prior names a command, that
// command's own completions or, for a word starting with "-", its flags.
// After a flag that takes a value it offers nothing (the shell completes
// file names).
func candidates(prior []string, word string) []string {
	var out []string
	if !strings.HasPrefix(word, "-") {
		for _, c := range commands {
			w := c.words()
			if c.run != nil && len(w) > len(prior) && slices.Equal(w[:len(prior)], prior) && strings.HasPrefix(w[len(prior)], word) {
				out = append(out, w[len(prior)])
			}
		}
	}
	c, rest := lookup(prior)
	if c == nil {
		return dedup(out)
	}
	var fs *flag.FlagSet
	if c.flags != nil {
		fs = c.flags()
	}
	if len(rest) > 0 && fs != nil && takesValue(fs, rest[len(rest)-1]) {
		return nil
	}
	switch {
	case strings.HasPrefix(word, "-") && fs != nil:
		fs.VisitAll(func(f *flag.Flag) {
			if name := "--" + f.Name; strings.HasPrefix(name, word) {
				out = append(out, name)
			}
		})
	case c.complete != nil:
		out = append(out, c.complete(rest, word)...)
	}
	return dedup(out)
}

// takesValue reports whether arg is a flag of fs that takes its value in
// the next argument.
func takesValue(fs *flag.FlagSet, arg string) bool {
	name := strings.TrimLeft(arg, "-")
	if name == arg || strings.Contains(name, "=") {
		return false
	}
	f := fs.Lookup(name)
	if f == nil {
		return false
	}
	b, isBool := f.Value.(interface{ IsBoolFlag() bool })
	return !isBool || !b.IsBoolFlag()
}

func dedup(s []string) []string {
	sort.Strings(s)
	return slices.Compact(s)
}
