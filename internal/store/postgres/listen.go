package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kmsd/kmsd/internal/store"
)

// Reconnection backoff of the listener.
const (
	minBackoff = 100 * time.Millisecond
	maxBackoff = 10 * time.Second
)

// listen opens a dedicated connection that LISTENs on Channel, and returns
// once it is listening (so changes committed after Open returns are seen).
// A goroutine then publishes each notification; after losing the connection
// it reconnects with exponential backoff and publishes ChangeAll, since
// notifications sent meanwhile are lost. stop ends the goroutine and waits.
func listen(ctx context.Context, cfg *pgx.ConnConfig, publish func(...store.Change)) (stop func(), err error) {
	conn, err := connectListener(ctx, cfg)
	if err != nil {
		return nil, err
	}
	runCtx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		run(runCtx, conn, cfg, publish)
	}()
	return func() { cancel(); <-done }, nil
}

func connectListener(ctx context.Context, cfg *pgx.ConnConfig) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, cfg.Copy())
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{Channel}.Sanitize()); err != nil {
		closeConn(conn)
		return nil, err
	}
	return conn, nil
}

func closeConn(conn *pgx.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = conn.Close(ctx)
}

func run(ctx context.Context, conn *pgx.Conn, cfg *pgx.ConnConfig, publish func(...store.Change)) {
	for {
		n, err := conn.WaitForNotification(ctx)
		if err == nil {
			publish(parse(n.Payload))
			continue
		}
		closeConn(conn)
		if conn = reconnect(ctx, cfg); conn == nil {
			return // stopped
		}
		publish(store.Change{Kind: store.ChangeAll})
	}
}

// reconnect retries with exponential backoff until it is listening again or
// ctx ends (then it returns nil).
func reconnect(ctx context.Context, cfg *pgx.ConnConfig) *pgx.Conn {
	for backoff := minBackoff; ; backoff = min(2*backoff, maxBackoff) {
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		connCtx, cancel := context.WithTimeout(ctx, maxBackoff)
		conn, err := connectListener(connCtx, cfg)
		cancel()
		if err == nil {
			return conn
		}
	}
}

// parse decodes a "<kind>:<id>" payload; anything unknown invalidates
// everything.
func parse(payload string) store.Change {
	kind, id, ok := strings.Cut(payload, ":")
	switch k := store.ChangeKind(kind); k {
	case store.ChangeKey, store.ChangeGrant, store.ChangeKeystore, store.ChangeCredential, store.ChangeUser,
		store.ChangePermissions:
		if ok {
			return store.Change{Kind: k, ID: id}
		}
	}
	return store.Change{Kind: store.ChangeAll}
}
