//go:build !linux

package trail

import "os"

// datasync is f.Sync where fdatasync(2) is not available.
func datasync(f *os.File) error { return f.Sync() }

// lockFile does nothing where flock(2) is not available.
func lockFile(*os.File) error { return nil }
