// Package testkit holds helpers shared by the tests of several packages: a
// settable clock, a throwaway embedded store with a root key, and a private
// temporary directory per test binary. It and its subpackages are imported
// only from _test.go files, so the server binary does not link package
// testing (cmd/kmsd's TestBinaryDoesNotLinkTesting checks):
//
//	golden   generated files (docs/operations.md, docs/configuration.md) against their committed copies
//	deps     optional test dependencies (PostgreSQL, SoftHSM2, sops, openssl): skips that show
//	pgtest   a private schema on the PostgreSQL test server
//	sdktest  clients and calls of the official Huawei Cloud SDK
//	softhsm  a private SoftHSM2 token
package testkit

import (
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/rootkey"
	"github.com/kmsd/kmsd/internal/store"
	"github.com/kmsd/kmsd/internal/store/sqlite"
)

// Clock is a settable clock, safe for concurrent use. Its zero value reads
// the zero time; set it with Set or start from NewClock.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock reading now.
func NewClock(now time.Time) *Clock { return &Clock{now: now} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// SQLite opens an embedded store and a file root key in a fresh temporary
// directory; both are closed when the test ends.
func SQLite(t testing.TB) (store.Store, rootkey.RootKey) {
	t.Helper()
	dir := t.TempDir()
	st, err := sqlite.Open(filepath.Join(dir, "kmsd.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	root, err := rootkey.OpenFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	return st, root
}
