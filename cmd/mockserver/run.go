package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"slices"
	"strings"
	"syscall"

	"github.com/novumock/novumock/internal/fixtures"
	"github.com/novumock/novumock/internal/server"
)

// run is the whole program: main only wires the process to it, so a test
// can run it on 127.0.0.1:0 with its own environment and output. See
// usage for the commands.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	command := "serve"
	if len(args) > 0 {
		switch args[0] {
		case "serve", "fixtures", "health", "version", "help":
			command, args = args[0], args[1:]
		}
	}
	for _, a := range args {
		switch a {
		case "-h", "-help", "--help":
			command = "help"
		case "-version", "--version":
			command = "version"
		}
	}
	switch command {
	case "help":
		printUsage(stdout)
		return nil
	case "version":
		fmt.Fprintln(stdout, version())
		return nil
	}
	cfg, err := parseConfig(args, getenv)
	if err != nil {
		return err
	}
	switch command {
	case "fixtures":
		return printFixtures(cfg, stdout)
	case "health":
		return checkHealth(ctx, cfg, getenv)
	}
	return serve(ctx, cfg, getenv, stderr)
}

// printFixtures writes the dataset the server would start with, checked as
// the server checks it, so a user can save it, edit it and start from it
// with --fixtures.
func printFixtures(cfg config, stdout io.Writer) error {
	srv, err := server.New(cfg.serverConfig())
	if err != nil {
		return err
	}
	return srv.Store().Snapshot().Encode(stdout)
}

// serve serves until ctx ends. A state file in use by another server, or
// one it cannot write, stops it with exit status 2 before it listens, like
// a bad flag: the command line names a file it cannot have. A stop that
// cannot save the last changes is an error (exit status 1): the user's
// data is lost, and a script or supervisor must hear of it.
func serve(ctx context.Context, cfg config, getenv func(string) string, stderr io.Writer) error {
	logs := newLogs(stderr, cfg)
	defer logs.close()
	sc := cfg.serverConfig()
	sc.Logger = logs.log
	srv, err := server.New(sc)
	if errors.Is(err, server.ErrStateInUse) || errors.Is(err, server.ErrStateNotWritable) {
		return &exitError{err: err, code: 2}
	}
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return &hintError{err: fmt.Errorf("listen on --addr %s: the address is in use", cfg.addr),
			hint: "another program (another mock?) listens there; pick a free port with --addr, e.g. --addr localhost:3001"}
	}
	if err != nil {
		return fmt.Errorf("listen on --addr %s: %w", cfg.addr, err)
	}
	defer writeAddrFile(getenv, ln.Addr(), logs.log)() // for the health check; removed on exit
	logStart(logs.start, cfg, ln.Addr(), srv)
	logs.flush() // what a user copies from the log must be there at once

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logs.log.Info("shutting down: readiness answers 503, requests in flight finish")
	err = srv.Shutdown(context.Background())
	if errors.Is(err, server.ErrStateNotSaved) {
		logs.log.Error("stopped", slog.String("error", err.Error()))
		return err
	}
	if err != nil {
		logs.log.Warn("stopped", slog.String("error", err.Error()))
		return nil
	}
	logs.log.Info("stopped")
	return nil
}

// exitError is an error with its own exit status, printed as it is (one
// line, no hint to the help).
type exitError struct {
	err  error
	code int
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// logStart prints what a user needs to use the mock: where it listens, its
// inspector, and for each environment a working API key, and per
// organization a dashboard token. These lines are printed whatever the
// log level.
func logStart(log *slog.Logger, cfg config, addr net.Addr, srv *server.Server) {
	url := baseURL(cfg.addr, addr)
	source := fmt.Sprintf("seed %d", cfg.seed)
	if cfg.orgs != fixtures.DefaultOrganizations || cfg.envs != fixtures.DefaultEnvironments {
		source += fmt.Sprintf(", %d organization%s × %d environment%s", cfg.orgs, plural(cfg.orgs), cfg.envs, plural(cfg.envs))
	}
	switch from := srv.StartedFrom(); {
	case strings.HasPrefix(from, "state file "):
		source = from
	case cfg.fixtures != "":
		source = "fixtures " + cfg.fixtures
	}
	attrs := []any{slog.String("url", url), slog.String("data", source), slog.String("inspector", url+"/_mock/ui/")}
	if cfg.state != "" {
		attrs = append(attrs, slog.String("state", cfg.state))
	}
	if cfg.controlToken != "" {
		// The user has it: printing it would put it in every CI log.
		attrs = append(attrs, slog.String("controlToken", "required (as given; not printed)"))
	}
	log.Info("novu mock listening", attrs...)
	// Two explicit choices that give up a protection are said out loud.
	if slices.Contains(cfg.corsOrigins, "*") {
		log.Warn("CORS allows every origin (--cors-origins *): any web page open in a browser on this machine can call Novu's API here and read its answers")
	}
	if slices.Contains(cfg.allowedHosts, "*") {
		log.Warn("every Host is answered (--allowed-hosts *): a web page can reach the mock through a DNS name it points here (DNS rebinding) and read the control plane")
	}
	envs := srv.Environments()
	for i, env := range envs {
		for _, k := range env.APIKeys {
			log.Info("environment", slog.String("organization", env.Organization), slog.String("name", env.Name),
				slog.String("id", env.ID), slog.String("apiKey", k))
		}
		if env.DashboardToken != "" && (i+1 == len(envs) || envs[i+1].OrganizationID != env.OrganizationID) {
			log.Info("dashboard token (Authorization: Bearer …, pick the environment with Novu-Environment-Id)",
				slog.String("organization", env.Organization), slog.String("token", env.DashboardToken))
		}
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// baseURL is the URL a client on this machine should use: the host the
// user named (localhost), the bound IP otherwise, and localhost for a
// wildcard address; always the bound port (port 0 picks one).
func baseURL(addr string, bound net.Addr) string {
	tcp, ok := bound.(*net.TCPAddr)
	if !ok {
		return "http://" + bound.String()
	}
	host, _, _ := net.SplitHostPort(addr)
	switch {
	case host != "" && net.ParseIP(host) == nil:
		// a name, as given
	case tcp.IP.IsUnspecified():
		host = "localhost"
	default:
		host = tcp.IP.String()
	}
	return "http://" + net.JoinHostPort(host, fmt.Sprint(tcp.Port))
}
