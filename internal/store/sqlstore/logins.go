package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
)

const loginCols = "login, failures, window_start, locked_until, expires_at"

// GetLoginFailures implements [store.Reader].
func (r *reader) GetLoginFailures(ctx context.Context, login string) (domain.LoginFailures, error) {
	return r.loginFailures(ctx, login, "")
}

func (r *reader) loginFailures(ctx context.Context, login, suffix string) (domain.LoginFailures, error) {
	f := domain.LoginFailures{Login: login}
	var window, locked, expires int64
	err := r.q.QueryRowContext(ctx, r.d.rebind("SELECT "+loginCols+" FROM login_failures WHERE login = ?"+suffix), login).
		Scan(&f.Login, &f.Failures, &window, &locked, &expires)
	if err != nil {
		return domain.LoginFailures{}, readErr(err, "get", fmt.Sprintf("login failures of %q", login))
	}
	f.WindowStart, f.LockedUntil, f.ExpiresAt = fromMS(window), fromMS(locked), fromMS(expires)
	return f, nil
}

// LockLoginFailures implements [store.Tx]. The insert of an empty record
// is a no-op when one exists (another node's, possibly uncommitted: then
// the locking read waits for it). If a concurrent DeleteExpiredLoginFailures
// removed the record between the two statements, the read finds nothing
// and the pair is tried again.
func (t *Tx) LockLoginFailures(ctx context.Context, login string) (domain.LoginFailures, error) {
	for attempt := 0; ; attempt++ {
		_, err := t.exec(ctx, "INSERT INTO login_failures ("+loginCols+") VALUES (?, 0, 0, 0, 0) ON CONFLICT (login) DO NOTHING", login)
		if err != nil {
			return domain.LoginFailures{}, fmt.Errorf("store: lock login failures of %q: %w", login, err)
		}
		f, err := t.loginFailures(ctx, login, t.d.ForUpdate)
		if !errors.Is(err, store.ErrNotFound) || attempt == 2 {
			return f, err
		}
	}
}

// PutLoginFailures implements [store.Tx].
func (t *Tx) PutLoginFailures(ctx context.Context, f domain.LoginFailures) error {
	_, err := t.exec(ctx, "INSERT INTO login_failures ("+loginCols+") VALUES (?, ?, ?, ?, ?) ON CONFLICT (login) DO UPDATE SET "+
		"failures = excluded.failures, window_start = excluded.window_start, locked_until = excluded.locked_until, expires_at = excluded.expires_at",
		f.Login, f.Failures, ms(f.WindowStart), ms(f.LockedUntil), ms(f.ExpiresAt))
	if err != nil {
		return fmt.Errorf("store: put login failures of %q: %w", f.Login, err)
	}
	return nil
}

// DeleteLoginFailures implements [store.Tx].
func (t *Tx) DeleteLoginFailures(ctx context.Context, login string) error {
	if _, err := t.exec(ctx, "DELETE FROM login_failures WHERE login = ?", login); err != nil {
		return fmt.Errorf("store: delete login failures of %q: %w", login, err)
	}
	return nil
}

// DeleteExpiredLoginFailures implements [store.Tx].
func (t *Tx) DeleteExpiredLoginFailures(ctx context.Context, now time.Time) (int, error) {
	res, err := t.exec(ctx, "DELETE FROM login_failures WHERE expires_at < ?", ms(now))
	if err != nil {
		return 0, fmt.Errorf("store: delete expired login failures: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}
