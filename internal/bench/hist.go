package bench

import (
	"math"
	"math/bits"
	"time"
)

// Histogram is a log-linear latency histogram: exact below 64 ns, then 32
// buckets per power of two, so a recorded value is reported with a relative
// error below 1/32 (bucket midpoints halve that). It covers every
// time.Duration >= 0. The zero value is ready to use; it is not safe for
// concurrent use (give each worker its own and Merge them).
type Histogram struct {
	counts [histBuckets]uint64
	n      uint64
	sum    time.Duration
	min    time.Duration
	max    time.Duration
}

const (
	subBits     = 5            // 32 sub-buckets per power of two
	linearLimit = 2 << subBits // values below are their own bucket
	histBuckets = linearLimit + (63-subBits)<<subBits
)

// bucketOf returns the bucket index of v >= 0.
func bucketOf(v uint64) int {
	if v < linearLimit {
		return int(v)
	}
	shift := bits.Len64(v) - subBits - 1 // >= 1
	return linearLimit + (shift-1)<<subBits + int(v>>shift) - 1<<subBits
}

// bucketRange returns the smallest and largest value of bucket i.
func bucketRange(i int) (lo, hi uint64) {
	if i < linearLimit {
		return uint64(i), uint64(i)
	}
	j := i - linearLimit
	shift := j>>subBits + 1
	lo = uint64(j&(1<<subBits-1)+1<<subBits) << shift
	return lo, lo + 1<<shift - 1
}

// Record adds one latency; negative values count as 0.
func (h *Histogram) Record(d time.Duration) {
	if d < 0 {
		d = 0
	}
	if h.n == 0 || d < h.min {
		h.min = d
	}
	if d > h.max {
		h.max = d
	}
	h.counts[bucketOf(uint64(d))]++
	h.n++
	h.sum += d
}

// Merge adds all of o's values to h.
func (h *Histogram) Merge(o *Histogram) {
	if o.n == 0 {
		return
	}
	if h.n == 0 || o.min < h.min {
		h.min = o.min
	}
	h.max = max(h.max, o.max)
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	h.sum += o.sum
}

// Count returns the number of recorded values.
func (h *Histogram) Count() uint64 { return h.n }

// Max returns the largest recorded value (0 if empty).
func (h *Histogram) Max() time.Duration { return h.max }

// Mean returns the average of the recorded values (0 if empty).
func (h *Histogram) Mean() time.Duration {
	if h.n == 0 {
		return 0
	}
	return h.sum / time.Duration(h.n)
}

// Quantile returns the q-quantile (0 <= q <= 1) by the nearest-rank method:
// the midpoint of the bucket holding the ceil(q*n)-th smallest value,
// clamped to the recorded minimum and maximum. It returns 0 if h is empty.
func (h *Histogram) Quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(h.n)))
	rank = min(max(rank, 1), h.n)
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			lo, hi := bucketRange(i)
			mid := time.Duration(lo + (hi-lo)/2)
			return min(max(mid, h.min), h.max)
		}
	}
	return h.max
}
