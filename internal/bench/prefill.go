package bench

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kmsd/kmsd/internal/config"
	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/server"
	"github.com/kmsd/kmsd/internal/service"
)

// Prefill is the prefill mode: it creates keys in the bootstrap project of
// a kmsd store, in-process, through the key service's bulk creation
// (service.CreateKeys: the same defaults, checks and quota as create-key,
// one store transaction per batch). It opens the store and root key with
// the configuration kmsd serve would use (--config or $KMSD_CONFIG, then
// the KMSD_* environment), so that the figures of a large project can be
// reproduced in minutes instead of hours of create-key requests.
type Prefill struct {
	Config  string         // kmsd configuration file ("" = $KMSD_CONFIG, if set)
	Keys    int            // keys to create
	Batch   int            // keys per transaction
	Workers int            // concurrent batches
	Spec    domain.KeySpec // of every key
}

// prefillProgress is how often (in keys) progress is reported.
const prefillProgress = 100_000

func prefillCmd(ctx context.Context, args []string, env Env) error {
	p := Prefill{Batch: 1000, Workers: 2, Spec: domain.SpecAES256}
	fs := flag.NewFlagSet("kmsbench prefill", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.StringVar(&p.Config, "config", "", "kmsd configuration file (default $KMSD_CONFIG; KMSD_* variables apply as for kmsd serve)")
	fs.IntVar(&p.Keys, "keys", 0, "keys to create (required)")
	fs.IntVar(&p.Batch, "batch", p.Batch, "keys per store transaction")
	fs.IntVar(&p.Workers, "workers", p.Workers, "concurrent batches")
	spec := fs.String("key-spec", string(p.Spec), "key spec of the keys (symmetric or HMAC: no key pair generation)")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	p.Spec = domain.KeySpec(*spec)
	switch {
	case fs.NArg() > 0:
		return usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	case p.Keys < 1:
		return usageError{errors.New("--keys: want 1 or more")}
	case p.Batch < 1 || p.Batch > 10_000:
		return usageError{errors.New("--batch: want 1-10000")}
	case p.Workers < 1 || p.Workers > 64:
		return usageError{errors.New("--workers: want 1-64")}
	case p.Spec.Asymmetric():
		return usageError{fmt.Errorf("--key-spec %s: prefill makes symmetric or HMAC keys", p.Spec)}
	}
	lookup := func(k string) (string, bool) { v := env.Getenv(k); return v, v != "" }
	cfg, err := config.Assemble(p.Config, lookup, nil)
	if err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	return p.Run(ctx, cfg, env.Stderr)
}

// Run opens a node on cfg (without serving) and creates p.Keys keys in its
// bootstrap project, reporting progress to log.
func (p Prefill) Run(ctx context.Context, cfg config.Config, log io.Writer) error {
	discard := slog.New(slog.NewTextHandler(io.Discard, nil))
	n, err := server.Open(ctx, cfg, server.Options{Logger: discard, AuditLog: io.Discard})
	if err != nil {
		return err
	}
	defer n.Close()
	b := n.Bootstrap
	caller := domain.Caller{DomainID: b.DomainID, ProjectID: b.ProjectID, Region: b.Region}
	prefix := "prefill-" + randomHex(6) + "-"
	start := time.Now()
	var next, done atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, p.Workers)
	for w := range p.Workers {
		wg.Go(func() {
			for ctx.Err() == nil && errs[w] == nil {
				from := next.Add(int64(p.Batch)) - int64(p.Batch)
				if from >= int64(p.Keys) {
					return
				}
				to := min(from+int64(p.Batch), int64(p.Keys))
				errs[w] = p.batch(ctx, n.Service, caller, prefix, from, to)
				if errs[w] == nil {
					if d := done.Add(to - from); d/prefillProgress != (d-(to-from))/prefillProgress {
						fmt.Fprintf(log, "prefill: %d keys, %.0f/s\n", d, float64(d)/time.Since(start).Seconds())
					}
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(append(errs, ctx.Err())...); err != nil {
		return fmt.Errorf("prefill: after %d keys: %w", done.Load(), err)
	}
	secs := time.Since(start).Seconds()
	fmt.Fprintf(log, "prefill: created %d %s keys in project %s in %.1fs (%.0f keys/s)\n", done.Load(), p.Spec, b.ProjectID, secs, float64(done.Load())/secs)
	return nil
}

func (p Prefill) batch(ctx context.Context, s *service.Service, c domain.Caller, prefix string, from, to int64) error {
	ns := make([]service.NewKey, 0, to-from)
	for i := from; i < to; i++ {
		ns = append(ns, service.NewKey{Alias: prefix + strconv.FormatInt(i, 10), Spec: p.Spec})
	}
	_, err := s.CreateKeys(ctx, c, ns)
	return err
}
