package bench

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestBucketRoundTrip(t *testing.T) {
	vals := []uint64{0, 1, 63, 64, 65, 127, 128, 1000, 999_999, 1 << 40, 1<<63 - 1}
	r := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		vals = append(vals, r.Uint64()>>r.IntN(64))
	}
	for _, v := range vals {
		i := bucketOf(v)
		if i < 0 || i >= histBuckets {
			t.Fatalf("bucketOf(%d) = %d out of range", v, i)
		}
		lo, hi := bucketRange(i)
		if v < lo || v > hi {
			t.Fatalf("value %d in bucket %d = [%d, %d]", v, i, lo, hi)
		}
		if v >= linearLimit && float64(hi-lo+1)/float64(lo) > 1.0/32 {
			t.Fatalf("bucket [%d, %d] wider than 1/32", lo, hi)
		}
	}
}

func TestBucketsAreContiguous(t *testing.T) {
	_, prevHi := bucketRange(0)
	for i := 1; i <= bucketOf(1<<63-1); i++ {
		lo, hi := bucketRange(i)
		if lo != prevHi+1 || hi < lo {
			t.Fatalf("bucket %d = [%d, %d] does not follow %d", i, lo, hi, prevHi)
		}
		prevHi = hi
	}
	if prevHi != 1<<63-1 {
		t.Fatalf("last bucket ends at %d", prevHi)
	}
}

func TestQuantile(t *testing.T) {
	tests := []struct {
		name   string
		values []time.Duration // recorded
		q      float64
		want   time.Duration
		relTol float64
	}{
		{name: "empty", q: 0.5, want: 0},
		{name: "single small exact", values: []time.Duration{7}, q: 0.99, want: 7},
		{name: "median of 1..100 ns", values: seq(1, 100, 1), q: 0.5, want: 50},
		{name: "p99 of 1..100 ns", values: seq(1, 100, 1), q: 0.99, want: 99, relTol: 1.0 / 64},
		{name: "p0 is the minimum", values: seq(1000, 5000, 1000), q: 0, want: 1000},
		{name: "p100 is the maximum", values: seq(1000, 5000, 1000), q: 1, want: 5000},
		{name: "median of 1..1000 us", values: seq(time.Microsecond, time.Millisecond, time.Microsecond),
			q: 0.5, want: 500 * time.Microsecond, relTol: 1.0 / 64},
		{name: "p99 of 1..1000 us", values: seq(time.Microsecond, time.Millisecond, time.Microsecond),
			q: 0.99, want: 990 * time.Microsecond, relTol: 1.0 / 64},
		{name: "p50 with a slow tail", values: append(repeat(2*time.Millisecond, 98), time.Second, time.Second),
			q: 0.5, want: 2 * time.Millisecond, relTol: 1.0 / 64},
		{name: "p99 sees the tail", values: append(repeat(2*time.Millisecond, 98), time.Second, time.Second),
			q: 0.99, want: time.Second, relTol: 1.0 / 64},
		{name: "negative counts as zero", values: []time.Duration{-5}, q: 0.5, want: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var h Histogram
			shuffled := slices.Clone(tc.values)
			rand.New(rand.NewPCG(3, 4)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			for _, v := range shuffled {
				h.Record(v)
			}
			got := h.Quantile(tc.q)
			if diff := float64(got - tc.want); diff > tc.relTol*float64(tc.want) || -diff > tc.relTol*float64(tc.want) {
				t.Fatalf("Quantile(%v) = %v, want %v ± %.2f%%", tc.q, got, tc.want, tc.relTol*100)
			}
		})
	}
}

func TestMergeEqualsRecordingAll(t *testing.T) {
	var a, b, all Histogram
	r := rand.New(rand.NewPCG(5, 6))
	for i := range 5000 {
		d := time.Duration(r.Int64N(int64(50 * time.Millisecond)))
		all.Record(d)
		if i%3 == 0 {
			a.Record(d)
		} else {
			b.Record(d)
		}
	}
	var merged Histogram
	merged.Merge(&a)
	merged.Merge(&b)
	merged.Merge(&Histogram{})
	if merged != all {
		t.Fatalf("merged histogram differs: n=%d/%d min=%v/%v max=%v/%v",
			merged.Count(), all.Count(), merged.min, all.min, merged.Max(), all.Max())
	}
	if merged.Mean() != all.Mean() || merged.Quantile(0.99) != all.Quantile(0.99) {
		t.Fatal("merged statistics differ")
	}
}

func seq(from, to, step time.Duration) []time.Duration {
	var out []time.Duration
	for v := from; v <= to; v += step {
		out = append(out, v)
	}
	return out
}

func repeat(d time.Duration, n int) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = d
	}
	return out
}
