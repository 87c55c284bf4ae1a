package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/novumock/novumock/internal/atomicfile"
)

// addrFileEnv names a file the serving process writes the address it
// listens on to, so that `mockserver health` finds the server however its
// address was given. A container's HEALTHCHECK runs with the image's
// environment, not with the flags given to `docker run IMAGE --addr :8080`:
// without the file it would probe NOVU_MOCK_ADDR. Not a user-facing flag.
const addrFileEnv = "NOVU_MOCK_ADDR_FILE"

// writeAddrFile writes addr (as bound, e.g. [::]:8080) to the file named by
// NOVU_MOCK_ADDR_FILE, if set, and returns the function that removes it.
// It is written atomically (internal/atomicfile), so a health check never
// reads half an address. A failure is logged, not fatal: a server
// that cannot write the file (a read-only /tmp, say) still serves, and its
// health check falls back to NOVU_MOCK_ADDR.
func writeAddrFile(getenv func(string) string, addr net.Addr, log *slog.Logger) (remove func()) {
	path := getenv(addrFileEnv)
	if path == "" {
		return func() {}
	}
	err := atomicfile.Write(path, 0o600, func(w io.Writer) error { _, err := io.WriteString(w, addr.String()+"\n"); return err })
	if err != nil {
		log.Warn("cannot write the address file; the health check will fall back to NOVU_MOCK_ADDR",
			slog.String(addrFileEnv, path), slog.String("error", err.Error()))
		return func() {}
	}
	return func() { os.Remove(path) }
}

// healthAddr is the address `mockserver health` probes: an --addr given to
// the health command itself, else the address the server wrote to
// NOVU_MOCK_ADDR_FILE (if set and the file is there), else cfg.addr, which
// parseConfig took from NOVU_MOCK_ADDR or the default.
func healthAddr(cfg config, getenv func(string) string) (addr, source string) {
	if cfg.given["addr"] {
		return cfg.addr, "--addr"
	}
	if path := getenv(addrFileEnv); path != "" {
		if b, err := os.ReadFile(path); err == nil {
			return strings.TrimSpace(string(b)), addrFileEnv + "=" + path
		}
	}
	if getenv("NOVU_MOCK_ADDR") != "" {
		return cfg.addr, "NOVU_MOCK_ADDR"
	}
	return cfg.addr, "the default"
}

// checkHealth asks the server whether it is ready and healthy: the
// container's HEALTHCHECK, which has no shell or curl to do it. Ready: it
// is not shutting down (/_mock/ready); healthy: it keeps what it is given
// (/_mock/health answers 503 while the state file cannot be saved). A
// wildcard host ([::]:8080, :3000) is probed on 127.0.0.1.
func checkHealth(ctx context.Context, cfg config, getenv func(string) string) error {
	addr, source := healthAddr(cfg, getenv)
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("health: address %q from %s: %w", addr, source, err)
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	base := "http://" + net.JoinHostPort(host, port)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	for _, path := range []string{"/_mock/ready", "/_mock/health"} {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
		if err != nil {
			return err
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return fmt.Errorf("health (address from %s): %w", source, err)
		}
		var body struct {
			Message string `json:"message"`
		}
		_ = json.NewDecoder(io.LimitReader(res.Body, 64<<10)).Decode(&body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			if body.Message != "" {
				return fmt.Errorf("health: %s answered %s: %s", base+path, res.Status, body.Message)
			}
			return fmt.Errorf("health: %s answered %s", base+path, res.Status)
		}
	}
	return nil
}
