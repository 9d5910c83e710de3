package audit

import (
	"context"
	"errors"
	"testing"
)

// sinkFunc adapts a function to Sink.
type sinkFunc func(Event) error

func (f sinkFunc) Record(_ context.Context, e Event) error { return f(e) }

// A durable event that one sink refuses goes no further (the operation
// will not be acknowledged); any other event reaches every sink, and the
// failures are reported.
func TestMultiDurableStopsAtFirstFailure(t *testing.T) {
	refused := errors.New("trail unavailable")
	var got []string
	sink := func(name string, err error) Sink {
		return sinkFunc(func(Event) error { got = append(got, name); return err })
	}
	m := Multi{sink("log", nil), sink("trail", refused), sink("metrics", nil)}
	for _, tc := range []struct {
		durable bool
		want    []string
	}{
		{true, []string{"log", "trail"}},
		{false, []string{"log", "trail", "metrics"}},
	} {
		got = nil
		err := m.Record(context.Background(), Event{Action: "create-key", Status: 200, Durable: tc.durable})
		if !errors.Is(err, refused) || len(got) != len(tc.want) {
			t.Fatalf("durable %v: error %v, recorded by %v, want %v", tc.durable, err, got, tc.want)
		}
	}
	if err := (Multi{sink("log", nil)}).Record(context.Background(), Event{Durable: true}); err != nil {
		t.Fatalf("no sink failed, error %v", err)
	}
}
