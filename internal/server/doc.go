// Package server assembles the mock: the starting dataset, the store with
// its limits, the API, and the HTTP server that serves it with its
// timeouts and connection cap. It is the one constructor both the binary
// (cmd/mockserver) and the Go test package (novutest) call, so a server
// started from a test is the binary's server.
//
// It does not parse flags or print anything: callers give it a Config and
// a logger.
package server
