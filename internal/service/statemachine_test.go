package service

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
)

// TestStateMachine drives every lifecycle operation from every key state
// (management-api.md §7) and checks the resulting state or error.
func TestStateMachine(t *testing.T) {
	ctx := context.Background()
	ops := map[string]func(s *Service, id string) (domain.Key, error){
		"enable":             func(s *Service, id string) (domain.Key, error) { return s.EnableKey(ctx, testCaller, id) },
		"disable":            func(s *Service, id string) (domain.Key, error) { return s.DisableKey(ctx, testCaller, id) },
		"schedule":           func(s *Service, id string) (domain.Key, error) { return s.ScheduleDeletion(ctx, testCaller, id, 7) },
		"cancel":             func(s *Service, id string) (domain.Key, error) { return s.CancelDeletion(ctx, testCaller, id) },
		"update-description": func(s *Service, id string) (domain.Key, error) { return s.UpdateDescription(ctx, testCaller, id, "d") },
	}
	// from state -> op -> the new state, or the error code
	table := map[domain.KeyState]map[string]string{
		domain.StateEnabled:         {"enable": "KMS.1201", "disable": "3", "schedule": "4", "cancel": "KMS.1501", "update-description": "2"},
		domain.StateDisabled:        {"enable": "2", "disable": "KMS.1301", "schedule": "4", "cancel": "KMS.1501", "update-description": "3"},
		domain.StatePendingDeletion: {"enable": "KMS.0210", "disable": "KMS.0210", "schedule": "KMS.1402", "cancel": "3", "update-description": "KMS.0210"},
		domain.StatePendingImport:   {"enable": "KMS.1201", "disable": "KMS.1301", "schedule": "4", "cancel": "KMS.1501", "update-description": "5"},
	}
	for from, row := range table {
		for opName, want := range row {
			t.Run(fmt.Sprintf("%s/from-%s", opName, from), func(t *testing.T) {
				st, root := sharedStore(t)
				s := New(Options{Store: st, Root: root})
				id := keyInState(t, s, from)
				k, err := ops[opName](s, id)
				if len(want) == 1 {
					if err != nil || string(k.State) != want {
						t.Fatalf("got state %q, %v; want state %s", k.State, err, want)
					}
					return
				}
				var e *kmserr.Error
				if !errors.As(err, &e) || e.Code != want {
					t.Fatalf("got %v, want %s", err, want)
				}
			})
		}
	}
}

// keyInState creates a key and moves it to state st through the service.
func keyInState(t *testing.T, s *Service, st domain.KeyState) string {
	t.Helper()
	ctx := context.Background()
	origin := domain.OriginKMS
	if st == domain.StatePendingImport {
		origin = domain.OriginExternal
	}
	k, err := s.CreateKey(ctx, testCaller, NewKey{Alias: "sm-" + string(st), Origin: origin})
	if err != nil {
		t.Fatal(err)
	}
	switch st {
	case domain.StateDisabled:
		_, err = s.DisableKey(ctx, testCaller, k.ID)
	case domain.StatePendingDeletion:
		_, err = s.ScheduleDeletion(ctx, testCaller, k.ID, 30)
	}
	if err != nil {
		t.Fatal(err)
	}
	return k.ID
}

func TestCancelDeletionOfExternalKeyWithoutMaterial(t *testing.T) {
	st, root := sharedStore(t)
	s := New(Options{Store: st, Root: root})
	id := keyInState(t, s, domain.StatePendingImport)
	if _, err := s.ScheduleDeletion(context.Background(), testCaller, id, 7); err != nil {
		t.Fatal(err)
	}
	k, err := s.CancelDeletion(context.Background(), testCaller, id)
	if err != nil || k.State != domain.StatePendingImport {
		t.Fatalf("cancel: %v %v; want back to pending import", k.State, err)
	}
}
