// Command barehttp is the reference for the load benchmark: a bare
// net/http server that answers one path with pre-encoded bytes, the fastest
// any Go server on this machine can answer that request. scripts/loadbench
// runs it beside the mock and prints the mock's throughput as a share of it.
//
//	barehttp -addr 127.0.0.1:0 -path /v1/integrations -body list.json
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	path := flag.String("path", "/v1/integrations", "the one path it answers")
	file := flag.String("body", "", "file holding the answer's bytes")
	flag.Parse()
	body, err := os.ReadFile(*file)
	if err != nil {
		fmt.Fprintln(os.Stderr, "barehttp:", err)
		os.Exit(1)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "barehttp:", err)
		os.Exit(1)
	}
	fmt.Printf("http://%s\n", ln.Addr())
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+*path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(body)
	})
	if err := http.Serve(ln, mux); err != nil {
		fmt.Fprintln(os.Stderr, "barehttp:", err)
		os.Exit(1)
	}
}
