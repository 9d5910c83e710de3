package bench

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Result is the outcome of one run. Latencies are of successful requests
// only, in milliseconds.
type Result struct {
	Op          string               `json:"op"`
	KeySpec     string               `json:"key_spec"`
	KeyID       string               `json:"key_id,omitempty"`
	Size        int                  `json:"size,omitempty"`
	Limit       int                  `json:"limit,omitempty"`        // list-keys page size
	Depth       int                  `json:"depth,omitempty"`        // list-keys: keys before the page
	ProjectKeys int                  `json:"project_keys,omitempty"` // keys in the project at the start (list-keys, create-key)
	URLs        []string             `json:"urls"`
	Conns       int                  `json:"conns"`
	ConnsOpened int64                `json:"conns_opened"`
	Seconds     float64              `json:"seconds"`
	Requests    uint64               `json:"requests"` // measured: OK + Errors
	Sent        uint64               `json:"sent"`     // all requests sent, warm-up included
	OK          uint64               `json:"ok"`
	Errors      uint64               `json:"errors"`
	ErrorKinds  map[string]*errCount `json:"error_kinds,omitempty"`
	RPS         float64              `json:"rps"`
	MeanMs      float64              `json:"mean_ms"`
	P50Ms       float64              `json:"p50_ms"`
	P99Ms       float64              `json:"p99_ms"`
	MaxMs       float64              `json:"max_ms"`
	Capped      bool                 `json:"capped_by_max_requests"`
}

// newResult merges the workers' tallies of a measured period of length
// elapsed.
func newResult(cfg Config, keyID string, ts []*tally, elapsed time.Duration, dials int64) Result {
	var h Histogram
	r := Result{Op: cfg.Op, KeySpec: string(cfg.KeySpec), KeyID: keyID, Size: cfg.Size, URLs: cfg.URLs,
		Limit: listOnly(cfg, cfg.Limit), Depth: listOnly(cfg, cfg.Depth),
		Conns: cfg.Conns, ConnsOpened: dials, Seconds: elapsed.Seconds(), ErrorKinds: map[string]*errCount{}}
	for _, t := range ts {
		h.Merge(&t.hist)
		r.OK += t.ok
		for k, e := range t.errs {
			if r.ErrorKinds[k] == nil {
				r.ErrorKinds[k] = &errCount{Example: e.Example}
			}
			r.ErrorKinds[k].Count += e.Count
			r.Errors += e.Count
		}
	}
	r.Requests = r.OK + r.Errors
	if elapsed > 0 {
		r.RPS = float64(r.OK) / elapsed.Seconds()
	}
	r.MeanMs, r.P50Ms, r.P99Ms, r.MaxMs = ms(h.Mean()), ms(h.Quantile(0.50)), ms(h.Quantile(0.99)), ms(h.Max())
	return r
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func itoa(n int) string { return strconv.Itoa(n) }

// Line renders r as one human-readable line.
func (r Result) Line() string {
	var b strings.Builder
	fmt.Fprintf(&b, "op=%s key_spec=%s", r.Op, r.KeySpec)
	if r.Size > 0 {
		fmt.Fprintf(&b, " size=%d", r.Size)
	}
	if r.Limit > 0 {
		fmt.Fprintf(&b, " limit=%d depth=%d", r.Limit, r.Depth)
	}
	if r.ProjectKeys > 0 {
		fmt.Fprintf(&b, " project_keys=%d", r.ProjectKeys)
	}
	fmt.Fprintf(&b, " urls=%d conns=%d opened=%d secs=%.2f requests=%d errors=%d rps=%.1f p50=%.3fms p99=%.3fms mean=%.3fms max=%.3fms",
		len(r.URLs), r.Conns, r.ConnsOpened, r.Seconds, r.Requests, r.Errors, r.RPS, r.P50Ms, r.P99Ms, r.MeanMs, r.MaxMs)
	if r.Capped {
		b.WriteString(" (stopped at --max-requests)")
	}
	kinds := make([]string, 0, len(r.ErrorKinds))
	for k := range r.ErrorKinds {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		fmt.Fprintf(&b, "\n  error %s x%d, e.g. %s", k, r.ErrorKinds[k].Count, r.ErrorKinds[k].Example)
	}
	return b.String()
}

// JSON renders r as one line of JSON.
func (r Result) JSON() string {
	b, _ := json.Marshal(r) // plain struct: cannot fail
	return string(b)
}

// listOnly is v for a list-keys run, 0 otherwise.
func listOnly(cfg Config, v int) int {
	if cfg.Op != OpListKeys {
		return 0
	}
	return v
}
