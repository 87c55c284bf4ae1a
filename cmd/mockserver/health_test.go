package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestHealth_FollowsAddrFile is the container's case: the server was given
// its address on the command line (docker run IMAGE --addr :8080), the
// health check only has the image's environment, whose NOVU_MOCK_ADDR is
// stale. The address file tells it where the server listens.
func TestHealth_FollowsAddrFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "novu-mock.addr")
	e := map[string]string{addrFileEnv: file}
	url, _, stop := startRun(t, []string{"--addr", "127.0.0.1:0"}, e)

	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("address file: %v", err)
	}
	if got, want := strings.TrimSpace(string(b)), strings.TrimPrefix(url, "http://"); got != want {
		t.Errorf("address file holds %q, want the bound address %q", got, want)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(file), ".*")); len(leftovers) > 0 {
		t.Errorf("temporary files left beside the address file: %v", leftovers)
	}

	closed := closedPort(t)
	healthEnv := env(map[string]string{addrFileEnv: file, "NOVU_MOCK_ADDR": closed})
	health := func(args ...string) error {
		return run(context.Background(), append([]string{"health"}, args...), healthEnv, &bytes.Buffer{}, &bytes.Buffer{})
	}
	if err := health(); err != nil {
		t.Errorf("health with the address file and a stale NOVU_MOCK_ADDR: %v", err)
	}
	if err := health("--addr", closed); err == nil {
		t.Error("health --addr <closed port> succeeded: the command line must win over the address file")
	}

	if err := stop(); err != nil {
		t.Fatalf("run returned %v after cancel, want nil", err)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("address file still there after the server stopped (stat: %v)", err)
	}
	if err := health(); err == nil {
		t.Error("health of a stopped server succeeded")
	}
}

// TestHealth_WildcardAddrFile: a server on a wildcard address writes it as
// bound ([::]:port or 0.0.0.0:port), and the health check dials loopback.
func TestHealth_WildcardAddrFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "novu-mock.addr")
	_, _, stop := startRun(t, []string{"--addr", ":0"}, map[string]string{addrFileEnv: file})
	defer stop()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	host, _, err := net.SplitHostPort(strings.TrimSpace(string(b)))
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsUnspecified() {
		t.Fatalf("address file holds %q, want a wildcard host", b)
	}
	if err := run(context.Background(), []string{"health"}, env(map[string]string{addrFileEnv: file}), &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Errorf("health via %s: %v", b, err)
	}
}

// TestHealth_UnwritableAddrFile: a server that cannot write the file still
// serves, says why in its log, and its health check falls back to
// NOVU_MOCK_ADDR.
func TestHealth_UnwritableAddrFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "missing-dir", "novu-mock.addr")
	url, log, stop := startRun(t, []string{"--addr", "127.0.0.1:0"}, map[string]string{addrFileEnv: file})
	defer stop()
	if !strings.Contains(log.String(), "cannot write the address file") {
		t.Errorf("no warning about the address file in the log:\n%s", log)
	}
	e := env(map[string]string{addrFileEnv: file, "NOVU_MOCK_ADDR": strings.TrimPrefix(url, "http://")})
	if err := run(context.Background(), []string{"health"}, e, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Errorf("health falling back to NOVU_MOCK_ADDR: %v", err)
	}
}
