package server

import (
	"errors"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// TestConnLimiter_ClosesTheLongestWaiting: at the cap, a new connection
// closes the one longest idle (or new), never one in a request while any
// waits; with every connection in a request, the one longest in it; a
// closed connection leaves room.
func TestConnLimiter_ClosesTheLongestWaiting(t *testing.T) {
	l := newConnLimiter(8)
	var conns []*trackedConn
	var peers []net.Conn
	peerOf := map[*trackedConn]net.Conn{}
	for range 8 {
		c, peer := net.Pipe()
		tc := l.admit(c)
		conns, peers, peerOf[tc] = append(conns, tc), append(peers, peer), peer
	}
	defer func() {
		for _, p := range peers {
			p.Close()
		}
	}()
	for _, c := range conns {
		l.track(c, http.StateActive)
	}
	l.track(conns[5], http.StateIdle) // idle longest
	l.track(conns[2], http.StateIdle)
	l.track(conns[0], http.StateActive) // in a request, but the oldest state of all is conns[1]'s

	// closed reports whether the limiter closed a connection: its peer
	// reads the end at once, where an open one has nothing to read.
	closed := func(c *trackedConn) bool {
		peer := peerOf[c]
		_ = peer.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
		_, err := peer.Read(make([]byte, 1))
		return errors.Is(err, io.EOF)
	}
	admitOne := func() *trackedConn {
		c, peer := net.Pipe()
		peers = append(peers, peer)
		tc := l.admit(c)
		peerOf[tc] = peer
		return tc
	}
	admitOne()
	if !closed(conns[5]) {
		t.Fatal("the connection idle longest was not closed")
	}
	admitOne()
	if !closed(conns[2]) {
		t.Fatal("the other idle connection was not closed")
	}
	// Only connections in a request (and the two new ones, which wait for
	// their first): the new ones go first, then the longest in a request.
	for i := range 2 {
		newest := admitOne()
		if closed(newest) {
			t.Fatalf("admit %d closed the connection it admitted", i)
		}
	}
	for _, c := range conns[:2] {
		if closed(c) {
			t.Fatal("a connection in a request was closed while new ones waited")
		}
	}
	l.track(conns[3], http.StateClosed)
	if len(l.conns) != 7 {
		t.Fatalf("%d connections counted after a close, want 7", len(l.conns))
	}
}
