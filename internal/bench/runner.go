package bench

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Run performs one benchmark run. cfg must have been normalized. It
// creates the key (unless cfg.KeyID), then drives cfg.Op from cfg.Conns
// workers for cfg.Warmup + cfg.Duration or cfg.MaxRequests requests,
// whichever ends first. Setup failures are returned as errors; failed
// requests during the run are counted in the Result.
func Run(ctx context.Context, cfg Config) (Result, error) {
	var dials atomic.Int64
	setup := newClient(cfg.Cred, 1, cfg.Timeout, &dials)
	defer setup.close()
	keyID, next, err := plan(ctx, setup, &cfg)
	if err != nil {
		return Result{}, err
	}
	keys := 0
	if cfg.Op == OpListKeys || cfg.Op == OpCreateKey {
		if keys, err = projectKeys(ctx, setup, cfg.URLs[0]); err != nil {
			return Result{}, fmt.Errorf("count the project's keys: %w", err)
		}
	}
	dials.Store(0)
	r := &run{cfg: cfg, next: next}
	r.start = time.Now()
	r.measureFrom = r.start.Add(cfg.Warmup)
	r.stopAt = r.measureFrom.Add(cfg.Duration)
	ctx, cancel := context.WithDeadline(ctx, r.stopAt.Add(cfg.Timeout))
	defer cancel()
	workers := r.spawn(ctx, &dials)
	end := time.Now()
	res := newResult(cfg, keyID, workers, end.Sub(r.measureFrom), dials.Load())
	res.Sent = r.sent.Load()
	res.ProjectKeys = keys
	res.Capped = res.Sent >= cfg.MaxRequests
	return res, nil
}

// run is the shared state of the workers of one run.
type run struct {
	cfg         Config
	next        bodies
	start       time.Time
	measureFrom time.Time
	stopAt      time.Time
	sent        atomic.Uint64 // requests started, warm-up included
}

// spawn runs the workers to completion and returns their tallies.
func (r *run) spawn(ctx context.Context, dials *atomic.Int64) []*tally {
	out := make([]*tally, r.cfg.Conns)
	var wg sync.WaitGroup
	for i := range out {
		t := &tally{errs: map[string]*errCount{}}
		out[i] = t
		c := newClient(r.cfg.Cred, 1, r.cfg.Timeout, dials)
		url := r.cfg.URLs[i%len(r.cfg.URLs)]
		wg.Go(func() {
			defer c.close()
			r.work(ctx, c, url, t)
		})
	}
	wg.Wait()
	return out
}

// work sends one request at a time until the run's end. Only requests
// started in the measured period are counted.
func (r *run) work(ctx context.Context, c *client, url string, t *tally) {
	for ctx.Err() == nil {
		t0 := time.Now()
		if !t0.Before(r.stopAt) {
			return
		}
		n := r.sent.Add(1)
		if n > r.cfg.MaxRequests {
			r.sent.Add(^uint64(0)) // keep sent = requests actually sent
			return
		}
		o := c.post(ctx, url, r.cfg.Op, r.next(n), false)
		if t0.Before(r.measureFrom) {
			continue
		}
		t.add(o, time.Since(t0))
	}
}

// tally is one worker's measured outcomes.
type tally struct {
	hist Histogram
	ok   uint64
	errs map[string]*errCount
}

// errCount counts one kind of failure ("HTTP 400 KMS.0201", "transport").
type errCount struct {
	Count   uint64 `json:"count"`
	Example string `json:"example"`
}

func (t *tally) add(o outcome, d time.Duration) {
	if o.ok() {
		t.ok++
		t.hist.Record(d)
		return
	}
	key := "transport"
	if o.status != 0 {
		key = "HTTP " + itoa(o.status)
		if o.code != "" {
			key += " " + o.code
		}
	}
	e := t.errs[key]
	if e == nil {
		e = &errCount{Example: o.describe()}
		t.errs[key] = e
	}
	e.Count++
}
