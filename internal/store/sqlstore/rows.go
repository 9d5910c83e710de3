package sqlstore

import (
	"context"
	"fmt"
)

// list runs query and returns its rows in order, each read by scan; no
// rows is a nil slice. Errors are wrapped as "store: <op>: ...". It is the
// one row loop of the package: every statement that may return several
// rows (a SELECT, or a DELETE ... RETURNING) goes through it.
func list[T any](ctx context.Context, r *reader, op, query string, args []any, scan func(scanner) (T, error)) ([]T, error) {
	rows, err := r.q.QueryContext(ctx, r.d.rebind(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", op, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", op, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %s: %w", op, err)
	}
	return out, nil
}
