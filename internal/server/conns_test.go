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
// closes the one longest idle or new, never one in a request while any
// waits; with every connection in a request, the one longest in it; a
// closed connection leaves room.
func TestConnLimiter_ClosesTheLongestWaiting(t *testing.T) {
	l := newConnLimiter(8)
	var peers []net.Conn
	defer func() {
		for _, p := range peers {
			p.Close()
		}
	}()
	peerOf := map[net.Conn]net.Conn{}
	admit := func() net.Conn {
		c, peer := net.Pipe()
		peers = append(peers, peer)
		peerOf[c] = peer
		l.admit(c)
		return c
	}
	// closed reports whether the limiter closed a connection: its peer
	// reads the end at once, where an open one has nothing to read.
	closed := func(c net.Conn) bool {
		peer := peerOf[c]
		_ = peer.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
		_, err := peer.Read(make([]byte, 1))
		return errors.Is(err, io.EOF)
	}
	only := func(step string, want net.Conn, among []net.Conn) {
		t.Helper()
		for i, c := range among {
			if got := closed(c); got != (c == want) {
				t.Fatalf("%s: connection %d closed %v, want %v", step, i, got, c == want)
			}
		}
	}
	var conns []net.Conn
	for range 8 {
		conns = append(conns, admit())
	}
	for _, c := range conns {
		l.track(c, http.StateActive)
	}
	l.track(conns[5], http.StateIdle) // idle longest
	l.track(conns[2], http.StateIdle)
	l.track(conns[0], http.StateActive) // in a request since after conns[1..7]

	new1 := admit()
	only("first admit at the cap", conns[5], conns)
	new2 := admit()
	only("second admit", conns[2], append(conns[:5:5], conns[6:]...))
	// Only connections in a request, and the two new ones, which wait for
	// their first: the older new one goes first, then the newer.
	new3 := admit()
	only("third admit", new1, []net.Conn{new1, new2, conns[0], conns[1]})
	l.track(new2, http.StateActive)
	l.track(new3, http.StateActive)
	admit()
	// Every connection left is in a request: the one longest in it
	// (conns[1]; conns[0] began again after all the others).
	only("admit with every connection in a request", conns[1], []net.Conn{conns[0], conns[1], conns[3], new2, new3})

	l.track(conns[3], http.StateClosed)
	if len(l.conns) != 7 {
		t.Fatalf("%d connections counted after a close, want 7", len(l.conns))
	}
}

// TestConnLimiter_ThroughTheServer: the server's own hook keeps the count:
// connections a client closes leave it, so the cap counts connections held
// at once, not connections ever made.
func TestConnLimiter_ThroughTheServer(t *testing.T) {
	l := newConnLimiter(8)
	srv := &http.Server{Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}), ConnState: l.track}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(l.limit(ln)) }()
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	for i := range 20 {
		res, err := client.Get("http://" + ln.Addr().String() + "/")
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		res.Body.Close()
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		l.mu.Lock()
		n := len(l.conns)
		l.mu.Unlock()
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d connections still counted after 20 closed ones", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
