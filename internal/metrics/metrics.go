// Package metrics is kmsd's Prometheus instrumentation, on
// prometheus/client_golang: a registry with the library's Go runtime and
// process collectors, the request metrics (an audit.Sink), authentication
// failures, throttled requests, cache hit counters, store transaction
// latency and pool use, and background job passes.
//
// What the metrics reveal (every action's request count, status codes and
// latency across all projects; no key ids, project ids or credentials) is
// in docs/operations.md; the names are listed in Names.
package metrics

import (
	"context"
	"database/sql"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/kmsd/kmsd/internal/audit"
)

// Registry holds a node's metrics.
type Registry struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	durations *prometheus.HistogramVec
	throttled *prometheus.CounterVec
	authFails *prometheus.CounterVec
	jobRuns   prometheus.Counter
	jobErrors prometheus.Counter
	storeTx   prometheus.Histogram

	routes  map[string]*route
	reasons map[string]prometheus.Counter
	other   route // actions not given to New
}

// New returns a registry whose request metrics have a child ready for
// every action and authentication failure reason given, so that recording
// a request allocates nothing.
func New(actions, authReasons []string) *Registry {
	r := &Registry{reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kmsd_requests_total",
			Help: "API requests answered, by action and HTTP status."}, []string{"action", "status"}),
		durations: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "kmsd_request_duration_seconds",
			Help:    "Time from the start of a request to its audit record, by action and HTTP status.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}},
			[]string{"action", "status"}),
		throttled: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kmsd_throttled_requests_total",
			Help: "Requests answered 429 (the expensive-operation gate, the replay guard), by action."}, []string{"action"}),
		authFails: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kmsd_auth_failures_total",
			Help: "Requests that did not authenticate, by reason."}, []string{"reason"}),
		jobRuns: prometheus.NewCounter(prometheus.CounterOpts{Name: "kmsd_job_runs_total",
			Help: "Passes of the background jobs (deletions, rotations, import expiry)."}),
		jobErrors: prometheus.NewCounter(prometheus.CounterOpts{Name: "kmsd_job_errors_total",
			Help: "Passes of the background jobs that had failures."}),
		storeTx: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "kmsd_store_transaction_seconds",
			Help:    "Duration of read-write store transactions, begin to commit.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}}),
		routes: map[string]*route{}, reasons: map[string]prometheus.Counter{},
	}
	r.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		r.requests, r.durations, r.throttled, r.authFails, r.jobRuns, r.jobErrors, r.storeTx)
	for _, a := range actions {
		r.routes[a] = r.newRoute(a)
	}
	r.other = *r.newRoute("other")
	for _, reason := range authReasons {
		r.reasons[reason] = r.authFails.WithLabelValues(reason)
	}
	return r
}

// route caches the children of one action: one per HTTP status seen, made
// on first use and then read without a lock.
type route struct {
	r         *Registry
	action    string
	byStatus  [500]atomic.Pointer[child] // status 100..599
	throttled prometheus.Counter
}

type child struct {
	n prometheus.Counter
	d prometheus.Observer
}

func (r *Registry) newRoute(action string) *route {
	return &route{r: r, action: action, throttled: r.throttled.WithLabelValues(action)}
}

func (rt *route) child(status int) *child {
	i := status - 100
	if i < 0 || i >= len(rt.byStatus) {
		return rt.makeChild(status)
	}
	if c := rt.byStatus[i].Load(); c != nil {
		return c
	}
	c := rt.makeChild(status)
	rt.byStatus[i].Store(c)
	return c
}

func (rt *route) makeChild(status int) *child {
	s := strconv.Itoa(status)
	return &child{n: rt.r.requests.WithLabelValues(rt.action, s), d: rt.r.durations.WithLabelValues(rt.action, s)}
}

// Record implements audit.Sink: it counts e by action and status, observes
// its duration, and counts a throttled answer or an authentication
// failure. Durable, for the metrics, means counted in memory: Record never
// fails (and the counters start from zero at every start).
func (r *Registry) Record(_ context.Context, e audit.Event) error {
	rt := r.routes[e.Action]
	if rt == nil {
		rt = &r.other
	}
	c := rt.child(e.Status)
	c.n.Inc()
	c.d.Observe(e.Duration.Seconds())
	if e.Status == http.StatusTooManyRequests {
		rt.throttled.Inc()
	}
	if e.AuthFailure != "" {
		if f := r.reasons[e.AuthFailure]; f != nil {
			f.Inc()
		}
	}
	return nil
}

// JobPass counts one pass of the background jobs.
func (r *Registry) JobPass(err error) {
	r.jobRuns.Inc()
	if err != nil {
		r.jobErrors.Inc()
	}
}

// StoreTransaction observes the duration of one store transaction.
func (r *Registry) StoreTransaction(d time.Duration) { r.storeTx.Observe(d.Seconds()) }

// Cache publishes the hit and miss counts of a cache as
// kmsd_<name>_cache_hits_total and kmsd_<name>_cache_misses_total, read
// from stats at every scrape.
func (r *Registry) Cache(name, help string, stats func() (hits, misses uint64)) {
	for _, kind := range []string{"hits", "misses"} {
		r.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "kmsd_" + name + "_cache_" + kind + "_total", Help: help + " (" + kind + ")."},
			func() float64 {
				h, m := stats()
				if kind == "hits" {
					return float64(h)
				}
				return float64(m)
			}))
	}
}

// Trail publishes the audit trail's counters: records written
// (kmsd_audit_records_total), batches committed with one write and one
// fsync each (kmsd_audit_batches_total: records per batch is how many
// requests one fsync acknowledged) and batches that failed
// (kmsd_audit_failed_batches_total).
func (r *Registry) Trail(stats func() (records, batches, failed uint64)) {
	for i, c := range []struct{ name, help string }{
		{"kmsd_audit_records_total", "Audit records written."},
		{"kmsd_audit_batches_total", "Audit batches committed (one write and one fsync each)."},
		{"kmsd_audit_failed_batches_total", "Audit batches that could not be written; their requests were refused unless audit.on_failure is serve."},
	} {
		r.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: c.name, Help: c.help},
			func() float64 {
				v := [3]uint64{}
				v[0], v[1], v[2] = stats()
				return float64(v[i])
			}))
	}
}

// DBPool publishes the connection pool statistics of db (go_sql_* with
// db_name="kmsd").
func (r *Registry) DBPool(db *sql.DB) { r.reg.MustRegister(collectors.NewDBStatsCollector(db, "kmsd")) }

// Handler serves the registry in the Prometheus exposition formats.
func (r *Registry) Handler() http.Handler {
	return promhttp.HandlerFor(r.reg, promhttp.HandlerOpts{Registry: r.reg})
}

// Gatherer is the registry, for tests that list what it exposes.
func (r *Registry) Gatherer() prometheus.Gatherer { return r.reg }
