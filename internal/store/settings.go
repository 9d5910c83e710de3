package store

import "context"

// SettingReader reads named opaque server settings.
type SettingReader interface {
	// GetSetting returns a named opaque server setting (e.g. the wrapped
	// token-signing key); ErrNotFound if it is absent.
	GetSetting(ctx context.Context, name string) ([]byte, error)
}

// SettingWriter writes settings, inside a Tx.
type SettingWriter interface {
	// PutSetting stores a setting; if onlyIfAbsent and it exists, ErrExists.
	PutSetting(ctx context.Context, name string, value []byte, onlyIfAbsent bool) error
	// DeleteSetting removes a setting; removing an absent one is not an error.
	DeleteSetting(ctx context.Context, name string) error
}
