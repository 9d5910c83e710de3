package cluster

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
)

// procLog collects a node's output and finds the URL it listens on in its
// "kmsd listening" JSON log line.
type procLog struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	addr  string
	ready chan struct{}
}

func newProcLog() *procLog { return &procLog{ready: make(chan struct{})} }

// Write implements io.Writer; it is called by os/exec's copying goroutine.
func (l *procLog) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(b)
	if l.addr == "" {
		l.scan()
	}
	return len(b), nil
}

func (l *procLog) scan() {
	for line := range strings.Lines(l.buf.String()) {
		var rec struct{ Msg, URL string }
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "kmsd listening" && rec.URL != "" {
			l.addr = rec.URL
			close(l.ready)
			return
		}
	}
}

func (l *procLog) url() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.addr
}

// tail returns the last 8 KiB of output.
func (l *procLog) tail() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buf.Bytes()
	if len(b) > 8<<10 {
		b = b[len(b)-8<<10:]
	}
	return string(b)
}

// text returns all output so far.
func (l *procLog) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}
