package main

import (
	"bufio"
	"context"
	"debug/elf"
	"encoding/json"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/kmsd/kmsd/internal/config"
)

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct{ cmd, args string }

// stages reads ../../Dockerfile into its stages (each starting with FROM).
func stages(t *testing.T) [][]instruction {
	t.Helper()
	f, err := os.Open("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out [][]instruction
	var line string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		text := strings.TrimSpace(sc.Text())
		if line == "" && (text == "" || strings.HasPrefix(text, "#")) {
			continue
		}
		if rest, ok := strings.CutSuffix(text, `\`); ok {
			line += rest + " "
			continue
		}
		line += text
		cmd, args, _ := strings.Cut(line, " ")
		line = ""
		in := instruction{strings.ToUpper(cmd), strings.TrimSpace(args)}
		if in.cmd == "FROM" {
			out = append(out, nil)
		}
		if len(out) > 0 {
			out[len(out)-1] = append(out[len(out)-1], in)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// the returns the arguments of the instructions cmd of stage s.
func the(s []instruction, cmd string) []string {
	var out []string
	for _, in := range s {
		if in.cmd == cmd {
			out = append(out, in.args)
		}
	}
	return out
}

// envOf parses the ENV instructions (KEY=VALUE form) of stage s.
func envOf(t *testing.T, s []instruction) map[string]string {
	env := map[string]string{}
	for _, args := range the(s, "ENV") {
		for _, kv := range strings.Fields(args) {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				t.Fatalf("ENV %s: use the KEY=VALUE form", args)
			}
			env[k] = v
		}
	}
	return env
}

// execForm parses an exec-form (JSON array) argument list.
func execForm(t *testing.T, what, args string) []string {
	var out []string
	if err := json.Unmarshal([]byte(args), &out); err != nil {
		t.Fatalf("%s %s: not the exec form (JSON array), which needs no shell: %v", what, args, err)
	}
	return out
}

// TestImage checks the Dockerfile, builds the binary exactly as its build
// stage does, checks that it is static (it must run FROM scratch), and
// runs the final stage's ENTRYPOINT, CMD and ENV against it, probing the
// node with its HEALTHCHECK command. Only the docker engine is missing.
func TestImage(t *testing.T) {
	st := stages(t)
	if len(st) < 2 {
		t.Fatalf("want a multi-stage Dockerfile, got %d stage(s)", len(st))
	}
	build, final := st[0], st[len(st)-1]
	if from := the(final, "FROM"); from[0] != "scratch" {
		t.Errorf("final stage FROM %s, want scratch", from[0])
	}
	if user := the(final, "USER"); len(user) != 1 || !regexp.MustCompile(`^[1-9][0-9]*:[1-9][0-9]*$`).MatchString(user[0]) {
		t.Errorf("USER %v: want a numeric non-root uid:gid (scratch has no /etc/passwd)", user)
	}
	if vol := the(final, "VOLUME"); len(vol) != 1 || !slices.Contains(execForm(t, "VOLUME", vol[0]), "/data") {
		t.Errorf("VOLUME %v, want /data", vol)
	}
	buildEnv := envOf(t, build)
	if buildEnv["CGO_ENABLED"] != "0" {
		t.Errorf("build stage CGO_ENABLED=%q, want 0", buildEnv["CGO_ENABLED"])
	}
	env := envOf(t, final)
	if env["KMSD_DATA"] != "/data" {
		t.Errorf("KMSD_DATA=%q, want the volume /data", env["KMSD_DATA"])
	}
	for k := range env {
		if !slices.ContainsFunc(config.Settings(), func(s config.Setting) bool { return s.Env == k }) {
			t.Errorf("ENV %s is no kmsd setting", k)
		}
	}

	bin := buildLikeDockerfile(t, build, buildEnv)
	checkStatic(t, bin)
	if out, err := exec.Command(bin, "version").Output(); err != nil || !strings.Contains(string(out), "kmsd v0.0.0-image-test (revision 0123456789abcdef") {
		t.Errorf("kmsd version: %v, %q", err, out)
	}

	entry := execForm(t, "ENTRYPOINT", the(final, "ENTRYPOINT")[0])
	cmd := execForm(t, "CMD", the(final, "CMD")[0])
	hc := the(final, "HEALTHCHECK")
	if len(hc) != 1 || !strings.Contains(hc[0], "CMD [") {
		t.Fatalf("HEALTHCHECK %v: want one, in the exec form (scratch has no shell)", hc)
	}
	probe := execForm(t, "HEALTHCHECK", hc[0][strings.Index(hc[0], "CMD [")+4:])
	if entry[0] != "/kmsd" || probe[0] != "/kmsd" || !slices.Equal(cmd, []string{"serve"}) {
		t.Fatalf("ENTRYPOINT %q CMD %q HEALTHCHECK %q: want /kmsd serve and /kmsd …", entry, cmd, probe)
	}
	runImage(t, bin, append(entry[1:], cmd...), probe[1:], env)
}

// buildLikeDockerfile runs the build stage's "go build" here, with its ENV,
// test values for the VERSION and REVISION arguments and /out/ in a
// temporary directory.
func buildLikeDockerfile(t *testing.T, build []instruction, env map[string]string) string {
	t.Helper()
	var line string
	for _, run := range the(build, "RUN") {
		if strings.HasPrefix(run, "go build ") {
			line = run
		}
	}
	if line == "" {
		t.Fatal(`the build stage has no "RUN go build"`)
	}
	out := t.TempDir()
	line = strings.ReplaceAll(line, "/out/", out+"/")
	sh := exec.Command("sh", "-c", line)
	sh.Dir = "../.."
	sh.Env = append(os.Environ(), "VERSION=v0.0.0-image-test", "REVISION=0123456789abcdef")
	for k, v := range env {
		sh.Env = append(sh.Env, k+"="+v)
	}
	if b, err := sh.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", line, err, b)
	}
	return filepath.Join(out, "kmsd")
}

// checkStatic fails unless bin is a static executable: no program
// interpreter and no shared library to load.
func checkStatic(t *testing.T, bin string) {
	t.Helper()
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("the binary has a %v program header: it is not static", p.Type)
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("the binary needs %v", libs)
	}
}

// runImage starts bin with the image's arguments and environment (its
// data directory in a temporary one, its port any free one, on the
// wildcard address as in the image), waits for it to listen, and runs the
// healthcheck as the container engine would, with the same environment.
func runImage(t *testing.T, bin string, args, probe []string, env map[string]string) {
	t.Helper()
	host, _, err := net.SplitHostPort(env["KMSD_LISTEN"])
	if err != nil {
		t.Fatalf("KMSD_LISTEN=%q: %v", env["KMSD_LISTEN"], err)
	}
	vars := []string{"KMSD_DATA=" + t.TempDir(), "KMSD_LISTEN=" + net.JoinHostPort(host, "0"), "KMSD_PRINT_ENV=false"}
	for k, v := range env {
		if k != "KMSD_DATA" && k != "KMSD_LISTEN" {
			vars = append(vars, k+"="+v)
		}
	}
	node := exec.Command(bin, args...)
	node.Env = vars
	stderr, err := node.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := node.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		node.Process.Signal(syscall.SIGTERM)
		if err := node.Wait(); err != nil {
			t.Errorf("kmsd %v after SIGTERM: %v", args, err)
		}
	}()
	port := listeningPort(t, stderr)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	hc := exec.CommandContext(ctx, bin, probe...)
	hc.Env = []string{"KMSD_LISTEN=" + net.JoinHostPort(host, port)}
	for k, v := range env {
		if k != "KMSD_LISTEN" {
			hc.Env = append(hc.Env, k+"="+v)
		}
	}
	if out, err := hc.CombinedOutput(); err != nil || string(out) != "ok\n" {
		t.Errorf("healthcheck %v: %v, %q", probe, err, out)
	}
}

// listeningPort reads the node's log until its "kmsd listening" line and
// returns the port of the URL it logs; the rest of the log is drained.
func listeningPort(t *testing.T, log io.Reader) string {
	t.Helper()
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(log)
		var lines []string
		for sc.Scan() {
			var l struct{ Msg, URL string }
			if json.Unmarshal(sc.Bytes(), &l) == nil && l.Msg == "kmsd listening" {
				found <- l.URL
				io.Copy(io.Discard, log)
				return
			}
			lines = append(lines, sc.Text())
		}
		found <- "ended: " + strings.Join(lines, "\n")
	}()
	select {
	case u := <-found:
		parsed, err := url.Parse(u)
		if err != nil || parsed.Port() == "" {
			t.Fatalf("kmsd did not start: %s", u)
		}
		return parsed.Port()
	case <-time.After(2 * time.Minute):
		t.Fatal("kmsd logged no listening line within 2 minutes")
	}
	return ""
}

// TestComposeFile: every kmsd node of deploy/compose.yaml gets a valid
// configuration from its environment, runs the image, shares one root
// key and waits for a healthy PostgreSQL.
func TestComposeFile(t *testing.T) {
	b, err := os.ReadFile("../../deploy/compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// Compose interpolation: ${NAME:?message} and ${NAME} take test values.
	text := regexp.MustCompile(`\$\{([A-Z_]+)(:\?[^}]*)?\}`).ReplaceAllString(string(b), "test-$1")
	var file struct {
		Services map[string]struct {
			Image       string
			Environment map[string]string
			Secrets     []struct{ Source, Target string }
			DependsOn   map[string]struct{ Condition string } `yaml:"depends_on"`
			Healthcheck struct{ Test []string }
		}
	}
	if err := yaml.Unmarshal([]byte(text), &file); err != nil {
		t.Fatal(err)
	}
	var nodes []string
	for name, s := range file.Services {
		if s.Image != "kmsd" {
			continue
		}
		nodes = append(nodes, name)
		lookup := func(k string) (string, bool) { v, ok := s.Environment[k]; return v, ok }
		cfg, err := config.Assemble("", lookup, nil)
		if err == nil {
			err = cfg.Validate()
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if cfg.Store != "postgres" {
			t.Errorf("%s: store %s, want postgres", name, cfg.Store)
		}
		for k := range s.Environment {
			if !strings.HasPrefix(k, "KMSD_") || !slices.ContainsFunc(config.Settings(), func(st config.Setting) bool { return st.Env == k }) {
				t.Errorf("%s: %s is no kmsd setting", name, k)
			}
		}
		if len(s.Secrets) != 1 || s.Secrets[0].Source != "root_key" || s.Secrets[0].Target != "/data/root.key" {
			t.Errorf("%s: secrets %+v, want the shared root_key at /data/root.key", name, s.Secrets)
		}
		if c := s.DependsOn["postgres"].Condition; c != "service_healthy" {
			t.Errorf("%s: depends on postgres %q, want service_healthy", name, c)
		}
	}
	if slices.Sort(nodes); !slices.Equal(nodes, []string{"node1", "node2", "node3"}) {
		t.Errorf("kmsd nodes %v, want node1..node3", nodes)
	}
	if pg := file.Services["postgres"]; len(pg.Healthcheck.Test) == 0 {
		t.Error("postgres has no healthcheck for the nodes to wait on")
	}
}
