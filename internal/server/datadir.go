package server

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/kmsd/kmsd/internal/config"
)

// dataDir remembers whether the embedded store's data directory was new
// (absent or empty) before a start, so that a start that fails can leave it
// as it found it: a failed first start must not leave an initialized store
// (and a root key) behind, which the next start would take as existing.
type dataDir struct {
	path    string
	created bool // absent before: remove it
	empty   bool // empty before: remove what is in it now
}

func newDataDir(cfg config.Config) dataDir {
	if cfg.Store != "sqlite" {
		return dataDir{}
	}
	d := dataDir{path: cfg.DataDir}
	entries, err := os.ReadDir(d.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		d.created = true
	case err == nil && len(entries) == 0:
		d.empty = true
	}
	return d
}

// undo removes what a failed start created in a data directory that was
// new; it does nothing to one that held anything before.
func (d dataDir) undo() error {
	switch {
	case d.created:
		if err := os.RemoveAll(d.path); err != nil {
			return fmt.Errorf("server: removing the data directory of the failed start: %w", err)
		}
	case d.empty:
		entries, err := os.ReadDir(d.path)
		if err != nil {
			return nil
		}
		for _, e := range entries {
			if err := os.RemoveAll(filepath.Join(d.path, e.Name())); err != nil {
				return fmt.Errorf("server: cleaning the data directory of the failed start: %w", err)
			}
		}
	}
	return nil
}
