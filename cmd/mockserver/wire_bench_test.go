package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// The wire benchmarks measure what a request costs the whole mock as its
// binary runs (run: the server, its timeouts, the log at its default level
// through the sink, the journal), over loopback TCP from a client that
// allocates nothing, beside a bare net/http server sending the same bytes
// and headers (the fair reference of scripts/loadbench). Their allocations
// per request are the server's: the handler benchmarks of internal/api go
// through httptest's recorder, which allocates what the wire does not.
//
//	go test -run '^$' -bench Wire -benchmem ./cmd/mockserver

func BenchmarkWire(b *testing.B) {
	// The log's head, where the address is; the request lines after it
	// cost the sink its formatting and a write, as on stderr, and are dropped.
	log := &syncBuffer{keep: 64 << 10}
	mock, stop := startRunLogging(b, []string{"--addr", "127.0.0.1:0"}, nil, log)
	defer func() { _ = stop() }()
	mock = strings.TrimPrefix(mock, "http://")
	for _, path := range []string{"/v1/integrations", "/v1/integrations/active"} {
		head, body := capture(b, mock, path)
		bare := bareServer(b, path, head, body)
		for _, srv := range []struct{ name, addr string }{{"mock", mock}, {"bare", bare}} {
			b.Run(srv.name+path, func(b *testing.B) {
				c := dial(b, srv.addr, path)
				defer c.close()
				b.ReportAllocs()
				for b.Loop() {
					c.roundTrip(b)
				}
			})
		}
	}
}

// capture is the mock's answer to a GET: its headers but Date, and body.
func capture(b *testing.B, addr, path string) (http.Header, []byte) {
	req, _ := http.NewRequest("GET", "http://"+addr+path, nil)
	req.Header.Set("Authorization", "ApiKey "+readmeKey)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		b.Fatalf("%s: %d %s", path, res.StatusCode, body)
	}
	res.Header.Del("Date")
	return res.Header, body
}

// bareServer answers path with the captured answer, as scripts/barehttp does.
func bareServer(b *testing.B, path string, head http.Header, body []byte) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != path {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		for k, v := range head {
			h[k] = v
		}
		w.WriteHeader(200)
		_, _ = w.Write(body)
	})}
	go func() { _ = srv.Serve(ln) }()
	b.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// wireClient sends one request again and again on one connection and reads
// each answer by its Content-Length, allocating nothing.
type wireClient struct {
	conn net.Conn
	r    *bufio.Reader
	req  []byte
	buf  []byte
}

func dial(b *testing.B, addr, path string) *wireClient {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	req := fmt.Appendf(nil, "GET %s HTTP/1.1\r\nHost: %s\r\nAuthorization: ApiKey %s\r\n\r\n", path, addr, readmeKey)
	return &wireClient{conn: conn, r: bufio.NewReaderSize(conn, 64<<10), req: req, buf: make([]byte, 1<<20)}
}

func (c *wireClient) close() { c.conn.Close() }

var contentLength = []byte("Content-Length: ")

func (c *wireClient) roundTrip(b *testing.B) {
	if _, err := c.conn.Write(c.req); err != nil {
		b.Fatal(err)
	}
	status, err := c.r.ReadSlice('\n')
	if err != nil {
		b.Fatal(err)
	}
	if !bytes.HasPrefix(status, []byte("HTTP/1.1 200 ")) {
		b.Fatalf("answered %q", status)
	}
	n := -1
	for {
		line, err := c.r.ReadSlice('\n')
		if err != nil {
			b.Fatal(err)
		}
		if len(line) <= 2 {
			break
		}
		if v, ok := bytes.CutPrefix(line, contentLength); ok {
			n, _ = strconv.Atoi(string(bytes.TrimSpace(v)))
		}
	}
	if n < 0 {
		b.Fatal("no Content-Length")
	}
	if _, err := io.ReadFull(c.r, c.buf[:n]); err != nil {
		b.Fatal(err)
	}
}
