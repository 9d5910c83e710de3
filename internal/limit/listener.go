package limit

import (
	"net"
	"sync"
)

// Listener wraps l so that at most n accepted connections are open at once.
//
// Contract: when n connections are open, Accept waits until one of them is
// closed; further clients wait in the kernel's accept backlog instead of
// costing the process memory. Closing the returned listener ends a waiting
// Accept with net.ErrClosed. Closing a connection more than once frees its
// slot once. n < 1 means no cap: l is returned as it is.
func Listener(l net.Listener, n int) net.Listener {
	if n < 1 {
		return l
	}
	return &listener{Listener: l, slots: make(chan struct{}, n), done: make(chan struct{})}
}

type listener struct {
	net.Listener
	slots     chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

// Accept implements net.Listener.
func (l *listener) Accept() (net.Conn, error) {
	select {
	case l.slots <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	return &conn{Conn: c, release: func() { <-l.slots }}, nil
}

// Close implements net.Listener.
func (l *listener) Close() error {
	l.closeOnce.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// conn frees its listener slot when closed.
type conn struct {
	net.Conn
	once    sync.Once
	release func()
}

// Close implements net.Conn.
func (c *conn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
