//go:build !linux

package cluster

import (
	"os"
	"syscall"
)

// hasParentDeathSignal says whether childAttr gives children a
// parent-death signal: only Linux has one.
const hasParentDeathSignal = false

// childAttr is how kmsd children start here: as plain children. Without a
// parent-death signal, the nodes of a killed test binary outlive it.
func childAttr() *syscall.SysProcAttr { return nil }

// killChild SIGKILLs a child.
func killChild(p *os.Process) { p.Kill() }
