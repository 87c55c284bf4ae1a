package server

import (
	"net"
	"net/http"
	"sync"
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
	conns map[net.Conn]*connInfo
	// ticks counts state changes: a connection's tick orders it by how
	// long it has been in its state, without reading the clock twice a
	// request.
	ticks uint64
}

type connInfo struct {
	state http.ConnState
	since uint64 // the limiter's tick when the state began
}

// fdReserve is how many descriptors are left for what is not a client
// connection (the listener, the state file, the runtime's own).
const fdReserve = 32

func newConnLimiter(limit int) *connLimiter {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err == nil && lim.Cur < uint64(limit+fdReserve) {
		limit = int(lim.Cur) - fdReserve
	}
	return &connLimiter{max: max(limit, 8), conns: map[net.Conn]*connInfo{}}
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
	ln.l.admit(c)
	return c, nil
}

// admit counts a new connection, closing the longest-waiting one at the cap.
func (l *connLimiter) admit(c net.Conn) {
	l.mu.Lock()
	var victim net.Conn
	if len(l.conns) >= l.max {
		victim = l.longestWaiting()
		delete(l.conns, victim)
	}
	l.ticks++
	l.conns[c] = &connInfo{state: http.StateNew, since: l.ticks}
	l.mu.Unlock()
	if victim != nil {
		victim.Close()
	}
}

// longestWaiting picks the connection to close: the one longest in the
// idle or new state, else the one longest in a request. The lock is held.
func (l *connLimiter) longestWaiting() net.Conn {
	var best net.Conn
	var bestInfo *connInfo
	for c, info := range l.conns {
		if bestInfo == nil || rank(info) < rank(bestInfo) || rank(info) == rank(bestInfo) && info.since < bestInfo.since {
			best, bestInfo = c, info
		}
	}
	return best
}

// rank orders states by how readily their connection is closed.
func rank(i *connInfo) int {
	if i.state == http.StateActive {
		return 1
	}
	return 0
}

// track is the http.Server's ConnState hook.
func (l *connLimiter) track(c net.Conn, st http.ConnState) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch st {
	case http.StateClosed, http.StateHijacked:
		delete(l.conns, c)
	default:
		if info, ok := l.conns[c]; ok {
			l.ticks++
			info.state, info.since = st, l.ticks
		}
	}
}
