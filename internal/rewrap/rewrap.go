// Package rewrap works on every secret a store keeps wrapped under the root
// key: key version material, access keys' secret keys, and the wrapped
// settings (the token-signing key, the import-token secret). Verify checks
// that they all unwrap under a root key (after a restore, say); Rotate
// re-wraps them from one root key to another while nodes keep serving.
package rewrap

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/kmsd/kmsd/internal/iam"
	"github.com/kmsd/kmsd/internal/rootkey"
	"github.com/kmsd/kmsd/internal/service"
	"github.com/kmsd/kmsd/internal/store"
)

// pageSize is how many secrets Verify reads at once.
const pageSize = 500

// aad is the additional data a stored secret was wrapped with.
func aad(w store.Wrapped) []byte {
	if w.Kind == store.WrappedCredential {
		return iam.SecretKeyAAD(w.ID)
	}
	return service.VersionAAD(w.ID, w.Version)
}

// settings are the wrapped settings with their additional data.
func settings() map[string][]byte {
	m := service.RootWrappedSettings()
	maps.Copy(m, iam.RootWrappedSettings())
	m[rootkey.CheckSetting] = rootkey.CheckAAD
	return m
}

// settingNames lists settings() in a fixed order.
func settingNames() []string { return slices.Sorted(maps.Keys(settings())) }

// Report counts the secrets Verify checked.
type Report struct {
	Versions, Credentials, Settings int
	// RootKeys counts the checked secrets of each kind but settings by the
	// root key id the store records for them.
	RootKeys map[string]int
}

// Total is the number of secrets checked.
func (r Report) Total() int { return r.Versions + r.Credentials + r.Settings }

// ErrNotVerified is wrapped by Verify's error when a secret does not unwrap.
var ErrNotVerified = errors.New("rewrap: a stored secret does not unwrap under the root key")

// Verify unwraps every root-wrapped secret of st with rk and reports how
// many there are. The first secret that does not unwrap ends it with an
// error wrapping ErrNotVerified that names it (never its content).
func Verify(ctx context.Context, st store.Reader, rk rootkey.RootKey) (Report, error) {
	rep := Report{RootKeys: map[string]int{}}
	for _, kind := range store.WrappedKinds {
		f := store.WrappedFilter{Kind: kind, Limit: pageSize}
		for {
			page, err := st.ListWrapped(ctx, f)
			if err != nil {
				return rep, err
			}
			for _, w := range page {
				if err := open(ctx, rk, w); err != nil {
					return rep, err
				}
				rep.RootKeys[w.RootKeyID]++
				if kind == store.WrappedCredential {
					rep.Credentials++
				} else {
					rep.Versions++
				}
			}
			if len(page) < f.Limit {
				break
			}
			f.AfterID, f.AfterVersion = page[len(page)-1].ID, page[len(page)-1].Version
		}
	}
	for _, name := range settingNames() {
		blob, err := st.GetSetting(ctx, name)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return rep, err
		}
		if err := unwrapOK(ctx, rk, blob, settings()[name]); err != nil {
			return rep, describe(err, "setting "+name)
		}
		rep.Settings++
	}
	return rep, nil
}

// open unwraps w and forgets the plaintext.
func open(ctx context.Context, rk rootkey.RootKey, w store.Wrapped) error {
	if err := unwrapOK(ctx, rk, w.Blob, aad(w)); err != nil {
		return describe(err, name(w))
	}
	return nil
}

// unwrapOK checks that blob unwraps, wiping the plaintext.
func unwrapOK(ctx context.Context, rk rootkey.RootKey, blob, ad []byte) error {
	pt, err := rk.Unwrap(ctx, blob, ad)
	clear(pt)
	return err
}

func describe(err error, what string) error {
	if errors.Is(err, rootkey.ErrUnwrap) {
		return fmt.Errorf("%w: %s: %w", ErrNotVerified, what, err)
	}
	return fmt.Errorf("rewrap: %s: %w", what, err)
}

func name(w store.Wrapped) string {
	if w.Kind == store.WrappedCredential {
		return "secret key of access key " + w.ID
	}
	return fmt.Sprintf("version %d of key %s", w.Version, w.ID)
}
