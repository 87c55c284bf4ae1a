package server

import (
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"syscall"
)

// connLimiter caps the connections served at once, below the process's
// file descriptor limit, so that a flood of connections (idle, or stalled
// in the middle of a request) can never make accept fail for want of
// descriptors. At the cap, a new connection makes room by closing the one
// that has waited longest without being answered: an idle keep-alive
// first, then the longest-stalled request. A probe, answered in
// milliseconds, is never the longest waiting, so /_mock/health keeps
// answering whatever is held open.
type connLimiter struct {
	max   int
	mu    sync.Mutex
	conns map[*trackedConn]struct{}
	// ticks counts state changes: a connection's tick orders it by how
	// long it has been in its state, without reading the clock twice a
	// request.
	ticks atomic.Uint64
}

// trackedConn is a connection and the state the server last gave it, which
// the server's hook sets twice a request (active, idle) without a lock.
type trackedConn struct {
	net.Conn
	l     *connLimiter
	state atomic.Int64  // an http.ConnState
	since atomic.Uint64 // the limiter's tick when the state began
}

// CloseWrite and ReadFrom pass what net/http looks for in a connection to
// the TCP connection: a half close before closing (so the client reads the
// last answer), and the kernel's copy for bodies read from files.
func (c *trackedConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

func (c *trackedConn) ReadFrom(r io.Reader) (int64, error) {
	if rf, ok := c.Conn.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(struct{ io.Writer }{c.Conn}, r)
}

func (c *trackedConn) set(st http.ConnState) {
	c.state.Store(int64(st))
	c.since.Store(c.l.ticks.Add(1))
}

// fdReserve is how many descriptors are left for what is not a client
// connection (the listener, the state file, the runtime's own).
const fdReserve = 32

func newConnLimiter(limit int) *connLimiter {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err == nil && lim.Cur < uint64(limit+fdReserve) {
		limit = int(lim.Cur) - fdReserve
	}
	return &connLimiter{max: max(limit, 8), conns: map[*trackedConn]struct{}{}}
}

func (l *connLimiter) limit(ln net.Listener) net.Listener {
	return &limitedListener{Listener: ln, l: l}
}

type limitedListener struct {
	net.Listener
	l *connLimiter
}

func (ln *limitedListener) Accept() (net.Conn, error) {
	c, err := ln.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return ln.l.admit(c), nil
}

// admit counts a new connection, closing the longest-waiting one at the cap.
func (l *connLimiter) admit(c net.Conn) *trackedConn {
	tc := &trackedConn{Conn: c, l: l}
	tc.set(http.StateNew)
	l.mu.Lock()
	var victim *trackedConn
	if len(l.conns) >= l.max {
		victim = l.longestWaiting()
		delete(l.conns, victim)
	}
	l.conns[tc] = struct{}{}
	l.mu.Unlock()
	if victim != nil {
		victim.Close()
	}
	return tc
}

// longestWaiting picks the connection to close: the one longest in the
// idle or new state, else the one longest in a request. The lock is held.
func (l *connLimiter) longestWaiting() *trackedConn {
	var best *trackedConn
	var bestRank int
	var bestSince uint64
	for c := range l.conns {
		r, since := rank(http.ConnState(c.state.Load())), c.since.Load()
		if best == nil || r < bestRank || r == bestRank && since < bestSince {
			best, bestRank, bestSince = c, r, since
		}
	}
	return best
}

// rank orders states by how readily their connection is closed.
func rank(st http.ConnState) int {
	if st == http.StateActive {
		return 1
	}
	return 0
}

// track is the http.Server's ConnState hook.
func (l *connLimiter) track(c net.Conn, st http.ConnState) {
	tc, ok := c.(*trackedConn)
	if !ok {
		return // not accepted here
	}
	switch st {
	case http.StateClosed, http.StateHijacked:
		l.mu.Lock()
		delete(l.conns, tc)
		l.mu.Unlock()
	default:
		tc.set(st)
	}
}
