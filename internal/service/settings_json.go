package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/store"
)

// putJSON stores v as the JSON setting name.
func putJSON(ctx context.Context, tx Tx, name string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("service: setting %s: %w", name, err)
	}
	return tx.PutSetting(ctx, name, b, false)
}

// getJSON decodes the JSON setting name into v; an absent setting leaves v
// unchanged and is not an error.
func getJSON(ctx context.Context, r Reader, name string, v any) error {
	b, err := r.GetSetting(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("service: setting %s: %w", name, err)
	}
	return nil
}

// kmserrOrNil converts a non-nil error to an API error.
func kmserrOrNil(err error) error {
	if err == nil {
		return nil
	}
	return kmserr.From(err)
}

// window returns the items of s selected by offset and limit (0 = all).
func window[T any](s []T, offset, limit int) []T {
	if offset >= len(s) {
		return nil
	}
	s = s[offset:]
	if limit > 0 && limit < len(s) {
		s = s[:limit]
	}
	return s
}
