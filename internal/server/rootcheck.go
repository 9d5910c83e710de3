package server

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/kmsd/kmsd/internal/config"
	"github.com/kmsd/kmsd/internal/iam"
	"github.com/kmsd/kmsd/internal/rootkey"
	"github.com/kmsd/kmsd/internal/store"
)

// ErrRootKeyMismatch means that the root key opened is not the one the
// store's keys are wrapped under.
var ErrRootKeyMismatch = errors.New("the root key does not match this database")

// The root key check (rootkey.CheckSetting) binds a store to its root key:
// unwrapping it proves, before anything else is read or written, that the
// root key opened is the store's.
const rootCheckSetting = rootkey.CheckSetting

var (
	rootCheckPlain = rootkey.CheckPlain
	rootCheckAAD   = rootkey.CheckAAD
)

// Initialized reports whether st has been initialized by kmsd: it holds the
// root key check or the bootstrap identities.
func Initialized(ctx context.Context, st store.SettingReader) (bool, error) {
	for _, name := range []string{rootCheckSetting, iam.BootstrapSetting} {
		_, err := st.GetSetting(ctx, name)
		if err == nil {
			return true, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return false, fmt.Errorf("server: reading setting %s: %w", name, err)
		}
	}
	return false, nil
}

// OpenRootKey opens the root key cfg selects, for the store st, and checks
// that it is the store's: the software key file in the data directory,
// created only when st has not been initialized (a new key could decrypt
// nothing an existing store holds), or a PKCS#11 token. A key that does not
// unwrap the store's check value gives an error wrapping
// ErrRootKeyMismatch. A new store records the check value of its key.
func OpenRootKey(ctx context.Context, cfg config.Config, st store.Store) (rootkey.RootKey, error) {
	init, err := Initialized(ctx, st)
	if err != nil {
		return nil, err
	}
	rk, err := openRootKey(cfg, init)
	if err != nil {
		return nil, err
	}
	if err := bindRootKey(ctx, st, rk, !init); err != nil {
		rk.Close()
		return nil, err
	}
	return rk, nil
}

func openRootKey(cfg config.Config, initialized bool) (rootkey.RootKey, error) {
	rk, err := openRootKeys(cfg, initialized)
	if initialized && cfg.RootKey == "file" && errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("root key %s/%s is missing, but this database already holds keys wrapped under one: "+
			"restore that file (kmsd does not create a root key for an existing database, as a new one could decrypt none of them): %w",
			cfg.DataDir, rootkey.FileName, err)
	}
	return rk, err
}

// bindRootKey checks rk against st's check value. When st has none, it
// records rk's if record is set (a new store, or one whose bootstrap rk
// has just unwrapped) and otherwise leaves st as it is.
func bindRootKey(ctx context.Context, st store.Store, rk rootkey.RootKey, record bool) error {
	blob, err := st.GetSetting(ctx, rootCheckSetting)
	if errors.Is(err, store.ErrNotFound) {
		if !record {
			return nil
		}
		if blob, err = rk.Wrap(ctx, rootCheckPlain, rootCheckAAD); err != nil {
			return err
		}
		err = st.Update(ctx, func(tx store.Tx) error { return tx.PutSetting(ctx, rootCheckSetting, blob, true) })
		if !errors.Is(err, store.ErrExists) { // else another node recorded its key first: check against it
			return err
		}
		blob, err = st.GetSetting(ctx, rootCheckSetting)
	}
	if err != nil {
		return fmt.Errorf("server: reading setting %s: %w", rootCheckSetting, err)
	}
	plain, err := rk.Unwrap(ctx, blob, rootCheckAAD)
	if errors.Is(err, rootkey.ErrUnwrap) || (err == nil && string(plain) != string(rootCheckPlain)) {
		return fmt.Errorf("%w (root key %s)", ErrRootKeyMismatch, rk.ID())
	}
	return err
}
