package config

import "runtime/debug"

// DefaultGCPercent is the garbage collector target kmsd serve uses when
// GOGC is not set. kmsd's live heap is small (keys, caches: a few MB) while
// every request allocates short-lived buffers, so collecting at 4x the live
// heap instead of 2x trades a few MB of memory for noticeably less CPU on
// the hot path. GOGC and GOMEMLIMIT still override it.
const DefaultGCPercent = 400

// TuneGC applies DefaultGCPercent unless the operator set GOGC; lookup is
// os.LookupEnv in production.
func TuneGC(lookup func(string) (string, bool)) {
	if _, set := lookup("GOGC"); !set {
		debug.SetGCPercent(DefaultGCPercent)
	}
}
