package main

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/novumock/novumock/internal/server"
)

// TestSlowClient_HeaderTimeout: a client that sends its headers too slowly
// is cut off after the header read timeout, while other clients are served.
func TestSlowClient_HeaderTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the 10 s header timeout")
	}
	t.Parallel()
	url, _, stop := startRun(t, []string{"--addr", "127.0.0.1:0"}, nil)
	defer stop()
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	if _, err := conn.Write([]byte("GET /v1/integrations HTTP/1.1\r\nHost: x\r\n")); err != nil {
		t.Fatal(err)
	}
	// Trickle a header byte a second, never finishing the headers.
	closed := make(chan time.Duration, 1)
	go func() {
		buf := make([]byte, 1024)
		for {
			conn.SetReadDeadline(time.Now().Add(30 * time.Second))
			if _, err := conn.Read(buf); err != nil {
				closed <- time.Since(start)
				return
			}
		}
	}()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case took := <-closed:
			if took < server.DefaultTimeouts.ReadHeader-time.Second || took > server.DefaultTimeouts.ReadHeader+5*time.Second {
				t.Errorf("the slow client was cut off after %v, want about %v", took, server.DefaultTimeouts.ReadHeader)
			}
			return
		case <-tick.C:
			conn.Write([]byte("X"))
			// Meanwhile, a normal client is served.
			c, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
			if err != nil {
				t.Fatal(err)
			}
			c.Write([]byte("GET /_mock/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
			line, _ := bufio.NewReader(c).ReadString('\n')
			c.Close()
			if !strings.Contains(line, "200") {
				t.Errorf("a normal client got %q while a slow one was connected", line)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("the slow client was never cut off")
		}
	}
}
