package cli

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

func TestCompletionCandidates(t *testing.T) {
	for name, tc := range map[string]struct {
		words []string // after "kmsd", the last one being typed
		want  []string
	}{
		"commands":              {[]string{""}, []string{"admin", "audit", "backup", "completion", "decrypt", "encrypt", "healthcheck", "keys", "kms", "restore", "rootkey", "serve", "version"}},
		"kms operations":        {[]string{"kms", "CreateKeyS"}, []string{"CreateKeyStore"}},
		"prefix":                {[]string{"se"}, []string{"serve"}},
		"admin":                 {[]string{"admin", ""}, []string{"access-key", "credential", "group", "policy", "project", "user"}},
		"admin project":         {[]string{"admin", "project", ""}, []string{"create"}},
		"serve flags":           {[]string{"serve", "--da"}, []string{"--data"}},
		"flag value":            {[]string{"serve", "--data", ""}, nil},
		"after a bool flag":     {[]string{"serve", "--print-env", "--li"}, []string{"--listen"}},
		"admin flags":           {[]string{"admin", "project", "create", "local-2", "--in"}, []string{"--init"}},
		"shells":                {[]string{"completion", ""}, []string{"bash", "fish", "zsh"}},
		"one shell only":        {[]string{"completion", "bash", ""}, nil},
		"hidden command hidden": {[]string{"__"}, nil},
	} {
		t.Run(name, func(t *testing.T) {
			if got := candidates(tc.words[:len(tc.words)-1], tc.words[len(tc.words)-1]); !slices.Equal(got, tc.want) {
				t.Errorf("%q: got %q, want %q", tc.words, got, tc.want)
			}
		})
	}
}

// TestCompletionCoversTheTable: every command of the table, and every flag
// of each, is offered by completion, so the scripts cannot fall behind.
func TestCompletionCoversTheTable(t *testing.T) {
	for _, c := range commands {
		w := c.words()
		for i := range w {
			if got := candidates(w[:i], w[i]); !slices.Contains(got, w[i]) {
				t.Errorf("%q after %q: %q", w[i], w[:i], got)
			}
		}
		if c.flags == nil {
			continue
		}
		got := candidates(w, "-")
		c.flags().VisitAll(func(f *flag.Flag) {
			if !slices.Contains(got, "--"+f.Name) {
				t.Errorf("kmsd %s: --%s not completed", c.path, f.Name)
			}
		})
	}
}

// TestBashCompletion runs the bash script as bash does on <TAB>, with the
// test binary standing in for kmsd.
func TestBashCompletion(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Fatalf("bash: %v", err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	script := completionScripts["bash"]
	for line, want := range map[string]string{
		`COMP_WORDS=(kmsd ad); COMP_CWORD=1`:                         "admin",
		`COMP_WORDS=(kmsd admin project create x --r); COMP_CWORD=5`: "--root-key --root-key-previous",
		`COMP_WORDS=(kmsd completion ""); COMP_CWORD=2`:              "bash fish zsh",
	} {
		line = strings.Replace(line, "kmsd", "'"+self+"'", 1)
		cmd := exec.Command(bash, "--norc", "-c", script+line+`; _kmsd; echo "${COMPREPLY[*]}"`)
		cmd.Env = append(os.Environ(), runAsKmsd+"=1")
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		if err := cmd.Run(); err != nil || strings.TrimSpace(out.String()) != want {
			t.Errorf("%s: %v, got %q (stderr %q), want %q", line, err, out.String(), errOut.String(), want)
		}
	}
}

func TestCompletionScripts(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish"} {
		var out bytes.Buffer
		if code := Main([]string{"completion", sh}, Env{Stdout: &out, Stderr: &out}); code != 0 ||
			!strings.Contains(out.String(), completeCommand) || !strings.Contains(out.String(), "kmsd") {
			t.Errorf("completion %s: exit %d, %q", sh, code, out.String())
		}
	}
	var out bytes.Buffer
	if code := Main([]string{"completion", "tcsh"}, Env{Stdout: &out, Stderr: &out}); code == 0 || !strings.Contains(out.String(), "bash, fish, zsh") {
		t.Errorf("completion tcsh: exit %d, %q", code, out.String())
	}
}
