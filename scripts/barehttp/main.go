// Command barehttp is the reference of the load benchmark: a bare net/http
// server that answers each route it is given with an answer captured from
// the running mock (status, every header but Date, the exact body bytes, with
// Content-Length), so that it costs what any Go server must pay to send the
// same answer and nothing more. scripts/loadbench captures the answers with
// curl, runs this beside the mock and reports the mock's figures as a share
// of its figures.
//
// Each argument is a route and the captured answer, as curl wrote it: FILE.head
// holds the status line and headers (curl -D), FILE.body the body (curl -o).
//
//	barehttp -addr 127.0.0.1:0 'GET /v1/integrations=/tmp/x/list' 'POST /v1/integrations=/tmp/x/create'
//
// A request with a body (the POST) has it read whole and dropped before the
// answer, as the mock must read it; nothing is decoded.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/textproto"
	"os"
	"strconv"
	"strings"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: barehttp [-addr host:port] 'METHOD /path=FILE' ...  (FILE.head and FILE.body, as curl -D and -o wrote them)")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	mux := http.NewServeMux()
	for _, arg := range flag.Args() {
		pattern, file, ok := strings.Cut(arg, "=")
		if !ok {
			fail(fmt.Errorf("%q: want 'METHOD /path=FILE'", arg))
		}
		a, err := load(file)
		if err != nil {
			fail(err)
		}
		mux.Handle(pattern, a)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fail(err)
	}
	fmt.Printf("http://%s\n", ln.Addr())
	if err := http.Serve(ln, mux); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "barehttp:", err)
	os.Exit(1)
}

// answer is one captured answer.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// load reads FILE.head and FILE.body. Headers that net/http writes itself
// (Date, Transfer-Encoding, Connection) are left to it; Content-Length is
// always the body's length, whether or not the mock sent one.
func load(file string) (*answer, error) {
	body, err := os.ReadFile(file + ".body")
	if err != nil {
		return nil, err
	}
	head, err := os.ReadFile(file + ".head")
	if err != nil {
		return nil, err
	}
	r := textproto.NewReader(bufio.NewReader(bytes.NewReader(head)))
	status, err := r.ReadLine()
	if err != nil {
		return nil, fmt.Errorf("%s.head: %w", file, err)
	}
	fields := strings.Fields(status)
	if len(fields) < 2 || !strings.HasPrefix(fields[0], "HTTP/") {
		return nil, fmt.Errorf("%s.head: %q is no status line", file, status)
	}
	code, err := strconv.Atoi(fields[1])
	if err != nil {
		return nil, fmt.Errorf("%s.head: %q is no status line", file, status)
	}
	mh, err := r.ReadMIMEHeader()
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s.head: %w", file, err)
	}
	h := http.Header(mh)
	for _, k := range []string{"Date", "Transfer-Encoding", "Connection", "Keep-Alive"} {
		h.Del(k)
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	return &answer{status: code, header: h, body: body}, nil
}

// ServeHTTP sends the captured answer. The header values are shared between
// requests: net/http only reads them.
func (a *answer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength != 0 {
		_, _ = io.Copy(io.Discard, r.Body)
	}
	h := w.Header()
	for k, v := range a.header {
		h[k] = v
	}
	w.WriteHeader(a.status)
	w.Write(a.body)
}
