package sqlstore

import (
	"context"
	"fmt"
)

// ReserveSeals implements [store.Tx] with one upsert, which is atomic under
// concurrent transactions on every backend (a row lock on PostgreSQL, the
// database write lock on SQLite).
func (t *Tx) ReserveSeals(ctx context.Context, counter string, version int, n int64) (int64, error) {
	if n < 1 {
		return 0, fmt.Errorf("store: reserve %d seals: want at least 1", n)
	}
	var total int64
	err := t.tx.QueryRowContext(ctx, t.d.rebind(`INSERT INTO seal_reservations (counter, version, reserved) VALUES (?, ?, ?)
ON CONFLICT (counter, version) DO UPDATE SET reserved = seal_reservations.reserved + excluded.reserved
RETURNING reserved`), counter, int64(version), n).Scan(&total)
	if err != nil {
		return 0, fmt.Errorf("store: reserve seals for version %d of %q: %w", version, counter, err)
	}
	return total, nil
}
