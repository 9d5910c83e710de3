//go:build unix

package testkit

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
)

// ProcessAlive reports whether pid is a running process; a zombie (dead,
// not yet reaped) counts as gone.
func ProcessAlive(pid int) bool {
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		if _, noProc := os.Stat("/proc/self"); noProc != nil {
			return true // no /proc (macOS, BSD): kill(2) said it exists
		}
		return !errors.Is(err, os.ErrNotExist) // gone since kill(2)
	}
	// The state follows the parenthesized command name, which may contain ')'.
	i := strings.LastIndexByte(string(stat), ')')
	return i < 0 || i+2 >= len(stat) || stat[i+2] != 'Z'
}
