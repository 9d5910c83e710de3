package service

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/testkit"
)

// TestCreateKeysAllOrNothing: CreateKeys applies CreateKey's quota and
// alias checks to the batch as a whole; a batch that fails creates nothing.
func TestCreateKeysAllOrNothing(t *testing.T) {
	st, root := sharedStore(t)
	clock := testkit.NewClock(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	s := New(Options{Store: st, Root: root, Clock: clock.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Limits: Limits{KeysPerProject: 4, GrantsPerKey: 10}})
	ctx := context.Background()
	keys, err := s.CreateKeys(ctx, testCaller, []NewKey{{Alias: "bulk-0"}, {Alias: "bulk-1"}, {Alias: "bulk-2"}})
	if err != nil || len(keys) != 3 {
		t.Fatalf("CreateKeys: %d keys, %v", len(keys), err)
	}
	if _, err := s.EncryptData(ctx, testCaller, EncryptInput{KeyRef: keys[2].ID, Plaintext: []byte("hello")}); err != nil {
		t.Errorf("encrypt with a bulk-created key: %v", err)
	}
	for name, batch := range map[string][]NewKey{
		"over the quota":   {{Alias: "bulk-3"}, {Alias: "bulk-4"}},
		"alias taken":      {{Alias: "bulk-5"}, {Alias: "bulk-1"}},
		"alias repeated":   {{Alias: "bulk-6"}, {Alias: "bulk-6"}},
		"invalid key spec": {{Alias: "bulk-7"}, {Alias: "bulk-8", Spec: "AES_1"}},
	} {
		if _, err := s.CreateKeys(ctx, testCaller, batch); !errors.As(err, new(*kmserr.Error)) {
			t.Errorf("%s: CreateKeys = %v, want an API error", name, err)
		}
	}
	if n, err := s.Instances(ctx, testCaller); err != nil || n != 3 {
		t.Errorf("keys after the failed batches: %d, %v; want 3", n, err)
	}
}
