package bench

import (
	"os"

	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/kmsd/kmsd/internal/config"

	"github.com/kmsd/kmsd/internal/domain"
)

// Env is what the command reads from and writes to.
type Env struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string
}

// Main runs the kmsbench command line and returns the exit code: 0 on
// success, 1 if the run failed or any request failed, 2 for usage errors.
//
//	kmsbench --url URL [--url URL…] --op OP [flags]   one run
//	kmsbench ceiling --listen ADDR [--ak --sk]        serve the ceiling handler
//	kmsbench prefill --keys N [--config FILE]         create N keys in a kmsd store
func Main(ctx context.Context, args []string, env Env) int {
	if len(args) > 0 && args[0] == "prefill" {
		return exit(env, prefillCmd(ctx, args[1:], env))
	}
	if len(args) > 0 && args[0] == "ceiling" {
		// The same GC target as kmsd serve, so the comparison with the
		// ceiling stays like for like.
		config.TuneGC(os.LookupEnv)
		return exit(env, serveCeilingCmd(ctx, args[1:], env))
	}
	cfg, asJSON, err := parseRunFlags(args, env)
	if err != nil {
		return exit(env, err)
	}
	res, err := Run(ctx, cfg)
	if err != nil {
		return exit(env, err)
	}
	fmt.Fprintln(env.Stdout, res.Line())
	if asJSON {
		fmt.Fprintln(env.Stdout, res.JSON())
	}
	if res.Errors > 0 {
		return 1
	}
	return 0
}

// usageError marks errors that exit with status 2.
type usageError struct{ error }

func (u usageError) Unwrap() error { return u.error }

func exit(env Env, err error) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintln(env.Stderr, "kmsbench:", err)
	if errors.As(err, new(usageError)) {
		return 2
	}
	return 1
}

// urlList is a repeatable flag whose values may also be comma lists.
type urlList []string

func (u *urlList) String() string { return strings.Join(*u, ",") }

func (u *urlList) Set(v string) error {
	for s := range strings.SplitSeq(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*u = append(*u, s)
		}
	}
	return nil
}

func parseRunFlags(args []string, env Env) (Config, bool, error) {
	cfg := DefaultConfig()
	fs := flag.NewFlagSet("kmsbench", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var urls urlList
	var spec string
	fs.Var(&urls, "url", "kmsd base URL, e.g. http://127.0.0.1:8080 (repeatable or comma list; connections are spread round-robin)")
	credFlags(fs, &cfg.Cred)
	fs.StringVar(&cfg.Op, "op", cfg.Op, "operation: "+strings.Join(OpNames(), ", "))
	fs.IntVar(&cfg.Size, "size", 0, "plaintext bytes for encrypt/decrypt-data (default 512), data key bytes for create-datakey (default 32)")
	fs.StringVar(&spec, "key-spec", "", "key spec of the key created at start (default AES_256; sign: EC_P256)")
	fs.StringVar(&cfg.KeyID, "key-id", "", "use this existing key instead of creating one")
	fs.IntVar(&cfg.Conns, "conns", cfg.Conns, "concurrent workers, one keep-alive connection each")
	fs.DurationVar(&cfg.Duration, "duration", cfg.Duration, "measured period")
	fs.DurationVar(&cfg.Warmup, "warmup", cfg.Warmup, "unmeasured period before the measured one")
	fs.Uint64Var(&cfg.MaxRequests, "max-requests", cfg.MaxRequests, "stop after this many requests (warm-up included)")
	fs.DurationVar(&cfg.Timeout, "timeout", cfg.Timeout, "per-request timeout")
	fs.IntVar(&cfg.Limit, "limit", cfg.Limit, "list-keys: keys per page (1-2000)")
	fs.IntVar(&cfg.Depth, "depth", 0, "list-keys: keys of --key-spec before the page listed (its marker is found at start)")
	asJSON := fs.Bool("json", false, "also print the result as one JSON line")
	if err := fs.Parse(args); err != nil {
		return cfg, false, usageError{err}
	}
	if fs.NArg() > 0 {
		return cfg, false, usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	cfg.URLs, cfg.KeySpec = urls, domain.KeySpec(spec)
	applyCredEnv(&cfg.Cred, env)
	if err := cfg.Normalize(); err != nil {
		return cfg, false, usageError{err}
	}
	return cfg, *asJSON, nil
}

// credFlags declares --ak, --sk and --project. Unset ones take the SDK's
// environment variables after parsing (applyCredEnv), so that usage text
// never prints a secret as a default.
func credFlags(fs *flag.FlagSet, c *Credential) {
	fs.StringVar(&c.AK, "ak", "", "access key (default $HUAWEICLOUD_SDK_AK)")
	fs.StringVar(&c.SK, "sk", "", "secret key (default $HUAWEICLOUD_SDK_SK)")
	fs.StringVar(&c.Project, "project", "", "project id (default $HUAWEICLOUD_SDK_PROJECT_ID)")
}

// applyCredEnv fills the credential fields left empty from the environment.
func applyCredEnv(c *Credential, env Env) {
	for _, f := range []struct {
		dst *string
		env string
	}{{&c.AK, "HUAWEICLOUD_SDK_AK"}, {&c.SK, "HUAWEICLOUD_SDK_SK"}, {&c.Project, "HUAWEICLOUD_SDK_PROJECT_ID"}} {
		if *f.dst == "" {
			*f.dst = env.Getenv(f.env)
		}
	}
}
