// Package jobs runs kmsd's background work on a timer: deleting keys whose
// deletion date has passed, rotating keys, and expiring imported material.
// The work itself (and its exactly-once guarantee across nodes) lives in the
// service; this package only schedules it, never overlapping two passes.
package jobs

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Worker is the work to run each tick.
type Worker interface {
	// RunDue does the work due now and reports how many items it acted on.
	RunDue(ctx context.Context) (int, error)
}

// Runner calls a Worker periodically.
type Runner struct {
	Worker   Worker
	Interval time.Duration // default 30s
	Logger   *slog.Logger
	// OnPass, when set, is told the outcome of every pass (for metrics).
	OnPass func(err error)

	mu sync.Mutex // held during a pass: passes never overlap
}

// Run ticks until ctx ends. It runs a pass immediately, then every Interval.
func (r *Runner) Run(ctx context.Context) {
	if r.Interval <= 0 {
		r.Interval = 30 * time.Second
	}
	t := time.NewTicker(r.Interval)
	defer t.Stop()
	for {
		r.RunOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunOnce runs one pass, repeating while a pass acted on a full batch so a
// backlog drains without waiting for the next tick. Errors are logged, not
// returned: one failing key must not stop the others.
func (r *Runner) RunOnce(ctx context.Context) {
	r.mu.Lock()
	defer r.mu.Unlock()
	log := r.Logger
	if log == nil {
		log = slog.Default()
	}
	for ctx.Err() == nil {
		n, err := r.Worker.RunDue(ctx)
		if r.OnPass != nil {
			r.OnPass(err)
		}
		if err != nil {
			log.Warn("background pass had failures", "error", err)
		}
		if n == 0 || err != nil {
			return
		}
	}
}
