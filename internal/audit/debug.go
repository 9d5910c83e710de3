package audit

import (
	"context"
	"log/slog"
)

// Debug is the sink that writes one line per request to the operational log
// at debug level ("request", with the request id, action, status, code,
// user, access key, client address and duration). Record never fails.
type Debug struct{ Logger *slog.Logger }

// Record implements Sink.
func (d Debug) Record(ctx context.Context, e Event) error {
	d.Logger.LogAttrs(ctx, slog.LevelDebug, "request", slog.String("request_id", e.RequestID),
		slog.String("action", e.Action), slog.Int("status", e.Status), slog.String("code", e.Code),
		slog.String("user_id", e.UserID), slog.String("access_key_id", e.AccessKey),
		slog.String("source_ip", e.SourceIP), slog.String("key_id", e.KeyID), slog.Duration("duration", e.Duration))
	return nil
}
