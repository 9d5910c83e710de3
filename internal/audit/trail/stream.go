package trail

import (
	"context"
	"io"
	"log/syslog"
	"strings"
)

// OpenStream starts a new chain written to w (standard output, say). Its
// lines are handed to the operating system before Append returns; nothing
// is fsynced.
func OpenStream(ctx context.Context, w io.Writer, root Wrapper) (*Writer, error) {
	cs, err := newChain(ctx, root)
	if err != nil {
		return nil, err
	}
	return start(streamDest{w}, cs, true), nil
}

type streamDest struct{ w io.Writer }

func (s streamDest) Write(p []byte) error { _, err := s.w.Write(p); return err }
func (streamDest) Sync() error            { return nil }
func (streamDest) Close() error           { return nil }

// OpenSyslog starts a new chain sent to a syslog daemon (the local one
// when network and raddr are empty; see syslog.Dial), one message per
// record at facility AUTHPRIV, severity INFO, tag kmsd-audit. Append
// returns once the daemon's socket has the message.
func OpenSyslog(ctx context.Context, network, raddr string, root Wrapper) (*Writer, error) {
	sw, err := syslog.Dial(network, raddr, syslog.LOG_AUTHPRIV|syslog.LOG_INFO, "kmsd-audit")
	if err != nil {
		return nil, err
	}
	cs, err := newChain(ctx, root)
	if err != nil {
		sw.Close()
		return nil, err
	}
	return start(syslogDest{sw}, cs, true), nil
}

type syslogDest struct{ w *syslog.Writer }

func (s syslogDest) Write(p []byte) error {
	for line := range strings.SplitSeq(strings.TrimSuffix(string(p), "\n"), "\n") {
		if err := s.w.Info(line); err != nil {
			return err
		}
	}
	return nil
}
func (syslogDest) Sync() error    { return nil }
func (s syslogDest) Close() error { return s.w.Close() }
