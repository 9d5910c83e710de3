package cluster

import (
	"os"
	"syscall"
)

// hasParentDeathSignal says whether childAttr gives children a
// parent-death signal.
const hasParentDeathSignal = true

// childAttr is how every kmsd child starts: in a process group of its own
// (a terminal's ^C reaches the test binary only, which then stops its
// children in order), and with SIGKILL as its parent-death signal, so that
// it dies with the test binary even when the binary's cleanups never run
// (go test's timeout, SIGKILL) instead of serving on, re-parented to PID 1.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// killChild SIGKILLs the process group of a child started with childAttr.
func killChild(p *os.Process) { syscall.Kill(-p.Pid, syscall.SIGKILL) }
